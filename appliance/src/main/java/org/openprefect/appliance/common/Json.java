package org.openprefect.appliance.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one JSON mapper of the server: ISO timestamps, strict on unknown fields. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Emoji as UTF-8 rather than \uD83D\uDC4B escapes, as upstream sends them.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8.mappedFeature());

    /**
     * Deepest JSON a request may nest. Half of Jackson's write limit (1,000), so that a 422 echoing
     * the deepest accepted body inside its error entries can still be written.
     */
    private static final int MAX_NESTING_DEPTH = 500;

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private Json() {
    }

    /** The fields every stored object of upstream starts with (its ORMBaseModel): id, created, updated. */
    public static ObjectNode stored(UUID id, Instant created, Instant updated) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id.toString());
        json.put("created", Times.iso(created));
        json.put("updated", Times.iso(updated));
        return json;
    }

    /** The texts of a JSON array (tags); none for null or a missing field. */
    public static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null) {
            array.forEach(t -> texts.add(t.asText()));
        }
        return texts;
    }

    /** A request field's text, or null when it is absent or null. */
    public static String text(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    /** A request field's id, or null when it is absent or null (the schema has checked the format). */
    public static UUID uuid(JsonNode body, String field) {
        return body.hasNonNull(field) ? UUID.fromString(body.get(field).asText()) : null;
    }

    /** A request field's object, or an empty one when it is absent, null or not an object. */
    public static ObjectNode object(JsonNode body, String field) {
        return body.path(field).isObject() ? (ObjectNode) body.get(field) : JsonNodeFactory.instance.objectNode();
    }

    /** An optional id as the wire has it: its text, or null. */
    public static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    /** A message's JSON, or {@code null} when it is not JSON (a websocket frame, say). */
    public static JsonNode parseOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The node as compact JSON text, the same characters as {@link JsonNode#toString()}. That call
     * sets up a generator and a serializer provider each time, which for the small documents a row
     * stores (tags, labels, a resource) cost more than the writing: rendering a task-run event's
     * columns was a third of its CPU on the {@code /events/in} path.
     */
    public static String compact(JsonNode node) {
        return compact(node, new StringBuilder(64));
    }

    /**
     * As {@link #compact(JsonNode)}, written in {@code buffer} (emptied first): a caller rendering
     * several documents in a row grows one buffer once, instead of a new one through each size.
     */
    public static String compact(JsonNode node, StringBuilder buffer) {
        buffer.setLength(0);
        writeCompact(node, buffer);
        return buffer.toString();
    }

    private static void writeCompact(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(field.getKey(), out);
                    out.append(':');
                    writeCompact(field.getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeCompact(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> quote(node.textValue(), out);
            case BOOLEAN, NULL -> out.append(node.asText());
            // Jackson writes NaN and infinities as quoted strings: leave those, and anything rarer, to it.
            case NUMBER -> out.append(node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) ? node.toString() : node.asText());
            default -> out.append(node);
        }
    }

    /** Most texts need no escape: those are copied whole (Jackson's encoder appends them a character at a time). */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        if (needsEscape(text)) {
            JsonStringEncoder.getInstance().quoteAsString(text, out);
        } else {
            out.append(text);
        }
        out.append('"');
    }

    /** Whether JSON (as Jackson writes it) escapes any of the text's characters: control characters, quotes and backslashes. */
    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
