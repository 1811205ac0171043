package org.openprefect.appliance.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.ValidationMessage;
import io.helidon.common.media.type.MediaType;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a JSON request body and checks it against an upstream schema; failures become
 * {@link InvalidRequestException} (422 in upstream's shape) with pydantic-style error entries.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** The body as JSON, validated against {@code #/components/schemas/NAME}; an empty body is {@code {}}. */
    public static JsonNode read(ServerRequest req, String schemaName) {
        JsonNode body = parse(req);
        validate(body, schemaName);
        return body;
    }

    /**
     * Parses the body; an empty body is an empty object (all-optional filter bodies may be omitted).
     * As FastAPI, a body is JSON when it has no Content-Type or an {@code application/json} or
     * {@code application/*+json} one; any other type (a form, {@code text/plain}: what a web page
     * may send cross-origin without a preflight) is not a JSON object and fails as one.
     */
    public static JsonNode parse(ServerRequest req) {
        byte[] raw;
        try {
            raw = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        } catch (UncheckedIOException e) {
            // A body that cannot be read, such as a corrupt gzip upload: FastAPI's answer to an unreadable body.
            throw ApiException.detail(400, "There was an error parsing the body");
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!isJson(req)) {
            TextNode input = TextNode.valueOf(text);
            throw new InvalidRequestException(new ValidationErrors().add("model_attributes_type", List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", input), input);
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Limits (nesting depth, string and number length) fail without a location.
            int offset = e.getLocation() == null ? 0 : (int) Math.max(0, e.getLocation().getCharOffset());
            ValidationErrors errors = new ValidationErrors().add("json_invalid", List.of("body", offset), "JSON decode error",
                    Map.of());
            throw new InvalidRequestException(errors, NullNode.getInstance());
        }
    }

    private static boolean isJson(ServerRequest req) {
        Optional<MediaType> contentType;
        try {
            contentType = req.headers().contentType().map(HttpMediaType::mediaType);
        } catch (RuntimeException e) {
            return false; // unparseable: not JSON
        }
        if (contentType.isEmpty()) {
            return true;
        }
        MediaType type = contentType.get();
        return "application".equalsIgnoreCase(type.type())
                && ("json".equalsIgnoreCase(type.subtype()) || type.subtype().toLowerCase(Locale.ROOT).endsWith("+json"));
    }

    /** A bare JSON array body whose every element must fit {@code #/components/schemas/NAME}. */
    public static JsonNode readArrayOf(ServerRequest req, String itemSchemaName) {
        JsonNode body = parse(req);
        if (!body.isArray()) {
            throw new InvalidRequestException(new ValidationErrors().add("list_type", List.of("body"), "Input should be a valid list", body), body);
        }
        ValidationErrors errors = new ValidationErrors();
        for (int i = 0; i < body.size(); i++) {
            try {
                validate(body.get(i), itemSchemaName);
            } catch (InvalidRequestException e) {
                for (var entry : e.errors().entries()) {
                    List<Object> loc = new ArrayList<>((List<?>) entry.get("loc"));
                    loc.add(1, i);
                    errors.add((String) entry.get("type"), loc, (String) entry.get("msg"), entry.get("input"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors, body);
        }
        return body;
    }

    /**
     * A required list of UUIDs at {@code body.field} of at most {@code max} items (FastAPI's
     * {@code Body(embed=True, max_items=...)}), for the routes upstream leaves out of its schema.
     */
    public static List<UUID> uuids(JsonNode body, String field, int max) {
        JsonNode list = body.get(field);
        if (list == null) {
            throw new InvalidRequestException(new ValidationErrors().missing(List.of("body", field)), body);
        }
        if (!list.isArray()) {
            throw new InvalidRequestException(new ValidationErrors().add("list_type", List.of("body", field), "Input should be a valid list", list),
                    body);
        }
        if (list.size() > max) {
            throw new InvalidRequestException(new ValidationErrors().add("too_long", List.of("body", field),
                    "List should have at most " + max + " items after validation, not " + list.size(), list), body);
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            UUID id = list.get(i).isTextual() ? Ids.parseOrNull(list.get(i).asText()) : null;
            if (id == null) {
                throw new InvalidRequestException(new ValidationErrors().add("uuid_parsing", List.of("body", field, i),
                        "Input should be a valid UUID", list.get(i)), body);
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * An integer body field within [{@code min}, {@code max}], {@code fallback} when absent (FastAPI's
     * {@code Body(fallback, ge=min, le=max)}). A minimum of 0 also guards limits upstream leaves
     * unbounded, where PostgreSQL fails on a negative LIMIT (upstream answers that with a 500).
     */
    public static int intBetween(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt()) {
            throw new InvalidRequestException(new ValidationErrors().add("int_parsing", List.of("body", field),
                    "Input should be a valid integer, unable to parse string as an integer", value), body);
        }
        ValidationErrors errors = new ValidationErrors().outOfRange(List.of("body", field), value, min, max);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors, body);
        }
        return value.asInt();
    }

    public static void validate(JsonNode body, String schemaName) {
        dropDefaultedNulls(body, OpenApiSchemas.get().component(schemaName));
        List<ValidationMessage> problems = new ArrayList<>(OpenApiSchemas.get().validate(schemaName, body));
        if (problems.isEmpty()) {
            ValidationErrors outOfRange = new ValidationErrors();
            integersInRange(body, OpenApiSchemas.get().component(schemaName), new ArrayList<>(List.of("body")), outOfRange);
            if (!outOfRange.isEmpty()) {
                throw new InvalidRequestException(outOfRange, body);
            }
            return;
        }
        problems.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
        ValidationErrors errors = new ValidationErrors();
        for (ValidationMessage m : mostSpecific(problems)) {
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            for (int i = 0; i < m.getInstanceLocation().getNameCount(); i++) {
                loc.add(m.getInstanceLocation().getElement(i));
            }
            String type = m.getType();
            switch (type) {
                case "required" -> {
                    loc.add(m.getProperty());
                    errors.add("missing", loc, "Field required", body);
                }
                case "additionalProperties" -> {
                    loc.add(m.getProperty());
                    errors.add("extra_forbidden", loc, "Extra inputs are not permitted", valueAt(body, loc));
                }
                default -> errors.add(pydanticType(type, m), loc, message(type, m), valueAt(body, loc));
            }
        }
        throw new InvalidRequestException(errors, body);
    }

    /**
     * The Python client sends {@code null} for optional fields that have defaults even where the
     * schema's type is not nullable (pydantic validators turn the null into the default, e.g. a
     * flow run's name). Such nulls are removed so the default applies; a null for a required
     * field stays and is reported.
     */
    static void dropDefaultedNulls(JsonNode value, JsonNode schema) {
        if (!(value instanceof ObjectNode object) || schema == null || schema.isMissingNode()) {
            return;
        }
        JsonNode resolved = objectSchema(schema);
        if (resolved == null) {
            return;
        }
        Set<String> required = new HashSet<>();
        resolved.path("required").forEach(r -> required.add(r.asText()));
        List<String> drop = new ArrayList<>();
        resolved.path("properties").properties().forEach(p -> {
            JsonNode v = object.get(p.getKey());
            if (v == null) {
                return;
            }
            if (v.isNull() && !required.contains(p.getKey()) && !allowsNull(p.getValue())) {
                drop.add(p.getKey());
            } else if (v.isObject()) {
                dropDefaultedNulls(v, p.getValue());
            }
        });
        drop.forEach(object::remove);
    }

    /**
     * Integer fields are stored in 32-bit columns: a larger value would wrap or fail in the database,
     * so it is refused as pydantic's {@code le}/{@code ge} bounds refuse one (upstream stores it and fails later).
     */
    private static void integersInRange(JsonNode value, JsonNode schema, List<Object> loc, ValidationErrors errors) {
        if (!(value instanceof ObjectNode object) || schema == null || schema.isMissingNode()) {
            return;
        }
        JsonNode resolved = objectSchema(schema);
        if (resolved == null) {
            return;
        }
        resolved.path("properties").properties().forEach(p -> {
            JsonNode v = object.get(p.getKey());
            List<Object> at = new ArrayList<>(loc);
            at.add(p.getKey());
            if (v != null && v.isIntegralNumber() && isInteger(p.getValue())) {
                errors.outOfRange(at, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            } else if (v != null && v.isObject()) {
                integersInRange(v, p.getValue(), at, errors);
            }
        });
    }

    private static boolean isInteger(JsonNode schema) {
        JsonNode s = OpenApiSchemas.get().resolve(schema);
        if ("integer".equals(s.path("type").asText())) {
            return true;
        }
        // "integer or null" only: a free value (a variable's) may hold any JSON number.
        boolean integer = false;
        for (JsonNode alternative : s.path("anyOf")) {
            String type = OpenApiSchemas.get().resolve(alternative).path("type").asText();
            if (!type.equals("integer") && !type.equals("null")) {
                return false;
            }
            integer |= type.equals("integer");
        }
        return integer;
    }

    private static JsonNode objectSchema(JsonNode schema) {
        JsonNode s = OpenApiSchemas.get().resolve(schema);
        if (s.has("properties")) {
            return s;
        }
        for (JsonNode alternative : s.path("anyOf")) {
            JsonNode a = OpenApiSchemas.get().resolve(alternative);
            if (a.has("properties")) {
                return a;
            }
        }
        return null;
    }

    private static boolean allowsNull(JsonNode schema) {
        JsonNode s = OpenApiSchemas.get().resolve(schema);
        if ("null".equals(s.path("type").asText()) || !s.has("type") && !s.has("anyOf") && !s.has("$ref") && !s.has("enum")) {
            return true;
        }
        for (JsonNode alternative : s.path("anyOf")) {
            if ("null".equals(alternative.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** anyOf failures repeat the same problem for every branch; keep one message per location and kind. */
    private static List<ValidationMessage> mostSpecific(List<ValidationMessage> problems) {
        List<ValidationMessage> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ValidationMessage m : problems) {
            if ("anyOf".equals(m.getType()) && problems.size() > 1) {
                continue;
            }
            // The null branch of "X or null" complains about every non-null value; the other branch says what is wrong.
            boolean nullBranch = "type".equals(m.getType()) && m.getArguments() != null && m.getArguments().length > 1
                    && "null".equals(String.valueOf(m.getArguments()[1]));
            if (nullBranch && problems.stream().anyMatch(o -> o != m && !"anyOf".equals(o.getType())
                    && o.getInstanceLocation().startsWith(m.getInstanceLocation()))) {
                continue;
            }
            String key = m.getInstanceLocation() + "|" + m.getType() + "|" + m.getProperty();
            if (seen.add(key)) {
                kept.add(m);
            }
        }
        return kept.isEmpty() ? problems.subList(0, 1) : kept;
    }

    private static String pydanticType(String type, ValidationMessage m) {
        return switch (type) {
            case "type" -> switch (String.valueOf(m.getArguments() != null && m.getArguments().length > 1 ? m.getArguments()[1] : "")) {
                case "string" -> "string_type";
                case "integer" -> "int_type";
                case "number" -> "float_type";
                case "boolean" -> "bool_type";
                case "object" -> "dict_type";
                case "array" -> "list_type";
                case "null" -> "none_required";
                default -> "type_error";
            };
            case "format" -> String.valueOf(m.getArguments() != null && m.getArguments().length > 0 ? m.getArguments()[0] : "").contains("uuid")
                    ? "uuid_parsing" : "value_error";
            case "pattern" -> "string_pattern_mismatch";
            case "enum", "const" -> "enum";
            case "minimum", "exclusiveMinimum" -> "greater_than_equal";
            case "maximum", "exclusiveMaximum" -> "less_than_equal";
            case "minLength" -> "string_too_short";
            case "maxLength" -> "string_too_long";
            default -> "value_error";
        };
    }

    private static String message(String type, ValidationMessage m) {
        String pydantic = switch (pydanticType(type, m)) {
            case "uuid_parsing" -> "Input should be a valid UUID";
            case "string_type" -> "Input should be a valid string";
            case "int_type" -> "Input should be a valid integer";
            case "float_type" -> "Input should be a valid number";
            case "bool_type" -> "Input should be a valid boolean";
            case "dict_type" -> "Input should be a valid dictionary";
            case "list_type" -> "Input should be a valid list";
            default -> null;
        };
        if (pydantic != null) {
            return pydantic;
        }
        return switch (type) {
            case "pattern" -> "String should match pattern '" + (m.getArguments().length > 0 ? m.getArguments()[0] : "") + "'";
            default -> m.getError() == null ? m.getMessage() : m.getError();
        };
    }

    private static Object valueAt(JsonNode body, List<Object> loc) {
        JsonNode node = body;
        for (Object segment : loc.subList(1, loc.size())) {
            node = segment instanceof Integer i ? node.path(i) : node.path(String.valueOf(segment));
        }
        return node.isMissingNode() ? null : node;
    }

    /** The object itself, or an empty object when the body is not one (schemas reject that first). */
    public static ObjectNode object(JsonNode body) {
        return body.isObject() ? (ObjectNode) body : Json.MAPPER.createObjectNode();
    }
}
