package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema's {@code secret_fields} ({@code "token"}, {@code "credentials.token"},
 * {@code "headers.*"}) applied to a document's data, as upstream applies them: on the data
 * flattened to its leaves (non-empty objects are walked, lists are leaves).
 */
public final class SecretFields {
    /** Upstream's {@code obfuscate(value)}: the same mask whatever the value. */
    public static final String OBFUSCATED = "********";

    private final List<List<String>> paths = new ArrayList<>();

    public SecretFields(JsonNode schemaFields) {
        schemaFields.path("secret_fields").forEach(f -> paths.add(Arrays.asList(f.asText().split("\\.", -1))));
    }

    /** The data with every secret masked, as reads without {@code include_secrets} answer it. */
    public ObjectNode obfuscated(ObjectNode data) {
        if (paths.isEmpty()) {
            return data;
        }
        Map<List<String>, JsonNode> flat = flatten(data);
        for (List<String> path : paths) {
            JsonNode value = flat.get(path);
            if (value != null && !value.isNull()) {
                flat.put(path, TextNode.valueOf(OBFUSCATED));
            } else if (path.contains("*")) {
                for (List<String> key : flat.keySet()) {
                    if (underWildcard(path, key)) {
                        flat.put(key, TextNode.valueOf(OBFUSCATED));
                    }
                }
            }
        }
        return unflatten(flat);
    }

    /**
     * An update's data with masked secrets put back to their stored values: a client that posts
     * back what it read must not overwrite a secret with its mask.
     */
    public ObjectNode restored(ObjectNode update, ObjectNode current) {
        if (paths.isEmpty()) {
            return update;
        }
        Map<List<String>, JsonNode> flatUpdate = flatten(update);
        Map<List<String>, JsonNode> flatCurrent = flatten(current);
        for (List<String> path : paths) {
            JsonNode stored = flatCurrent.get(path);
            if (stored != null && !stored.isNull()) {
                JsonNode sent = flatUpdate.get(path);
                if (sent != null && OBFUSCATED.equals(sent.asText(null))) {
                    flatUpdate.put(path, stored);
                }
            } else if (path.contains("*")) {
                for (List<String> key : new ArrayList<>(flatUpdate.keySet())) {
                    if (underWildcard(path, key) && OBFUSCATED.equals(flatUpdate.get(key).asText(null)) && flatCurrent.containsKey(key)) {
                        flatUpdate.put(key, flatCurrent.get(key));
                    }
                }
            }
        }
        return unflatten(flatUpdate);
    }

    private static boolean underWildcard(List<String> secretPath, List<String> dataKey) {
        int wildcard = secretPath.indexOf("*");
        return dataKey.size() >= wildcard && secretPath.subList(0, wildcard).equals(dataKey.subList(0, wildcard));
    }

    static Map<List<String>, JsonNode> flatten(ObjectNode data) {
        Map<List<String>, JsonNode> flat = new LinkedHashMap<>();
        flatten(data, List.of(), flat);
        return flat;
    }

    private static void flatten(JsonNode object, List<String> parent, Map<List<String>, JsonNode> flat) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            List<String> key = new ArrayList<>(parent);
            key.add(field.getKey());
            if (field.getValue().isObject() && !field.getValue().isEmpty()) {
                flatten(field.getValue(), List.copyOf(key), flat);
            } else {
                flat.put(List.copyOf(key), field.getValue());
            }
        }
    }

    static ObjectNode unflatten(Map<List<String>, JsonNode> flat) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<List<String>, JsonNode> entry : flat.entrySet()) {
            ObjectNode at = root;
            List<String> key = entry.getKey();
            for (String part : key.subList(0, key.size() - 1)) {
                at = at.get(part) instanceof ObjectNode existing ? existing : at.putObject(part);
            }
            at.set(key.getLast(), entry.getValue());
        }
        return root;
    }
}
