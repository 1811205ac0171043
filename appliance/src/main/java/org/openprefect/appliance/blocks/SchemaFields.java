package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.PythonJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The parts of a block schema's {@code fields} that upstream computes rather than stores: the
 * checksum the client looks schemas up by, and which {@code definitions} describe nested blocks
 * (stored as schemas of their own) rather than plain objects (stored with the parent).
 */
public final class SchemaFields {
    private static final String DEFINITIONS_PREFIX = "#/definitions/";

    private SchemaFields() {
    }

    /**
     * Upstream's {@code Block._calculate_schema_checksum}: {@code secret_fields} removed at every
     * level, only the non-block definitions kept, then the SHA-256 of Python's
     * {@code json.dumps(((fields,), {}), sort_keys=True)}.
     */
    public static String checksum(JsonNode fields) {
        ObjectNode forChecksum = withoutKey(fields, "secret_fields");
        JsonNode definitions = forChecksum.get("definitions");
        if (definitions != null && !definitions.isNull() && !definitions.isEmpty()) {
            ObjectNode nonBlock = nonBlockDefinitions(forChecksum, definitions);
            if (nonBlock.isEmpty()) {
                forChecksum.remove("definitions");
            } else {
                forChecksum.set("definitions", nonBlock);
            }
        }
        String text = "[[" + PythonJson.dumpsSorted(forChecksum) + "], {}]";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The definitions an object refers to (directly or through other definitions) that are not blocks. */
    public static ObjectNode nonBlockDefinitions(JsonNode object, JsonNode definitions) {
        ObjectNode found = JsonNodeFactory.instance.objectNode();
        for (String reference : references(object)) {
            String key = definitionKey(reference);
            JsonNode definition = definitions.get(key);
            boolean isBlock = definition != null && definition.hasNonNull("block_type_slug");
            if (definition != null && !definition.isEmpty() && !isBlock) {
                found.set(key, definition);
                found.setAll(nonBlockDefinitions(definition, definitions));
            }
        }
        return found;
    }

    /** Every {@code $ref} text inside a value, depth first, as upstream's {@code _collect_nested_reference_strings}. */
    public static List<String> references(JsonNode value) {
        List<String> found = new ArrayList<>();
        collect(value, found);
        return found;
    }

    /** The definition key a {@code $ref} names. */
    public static String definitionKey(String reference) {
        return reference.replace(DEFINITIONS_PREFIX, "");
    }

    private static void collect(JsonNode value, List<String> found) {
        if (value.isObject()) {
            JsonNode ref = value.get("$ref");
            if (ref != null && ref.isTextual()) {
                found.add(ref.asText());
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                collect(field.getValue(), found);
            }
        } else if (value.isArray()) {
            value.forEach(item -> collect(item, found));
        }
    }

    /** A copy without {@code key} in any object reached through objects (lists are left as they are, as upstream does). */
    private static ObjectNode withoutKey(JsonNode object, String key) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getKey().equals(key)) {
                copy.set(field.getKey(), field.getValue().isObject() ? withoutKey(field.getValue(), key) : field.getValue().deepCopy());
            }
        }
        return copy;
    }
}
