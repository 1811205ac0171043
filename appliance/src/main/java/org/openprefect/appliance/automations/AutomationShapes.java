package org.openprefect.appliance.automations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.http.OpenApiSchemas;

import java.util.Map;
import java.util.UUID;

/**
 * Triggers and actions as upstream stores them after its models have read them: every field
 * present, defaults filled in, and fresh ids on every trigger (upstream's {@code reset_ids}, so a
 * client cannot choose them).
 */
final class AutomationShapes {
    private AutomationShapes() {
    }

    /** A trigger as sent, with fresh ids and every field, in its model's order. */
    static ObjectNode trigger(JsonNode given) {
        return trigger(given, true);
    }

    /** A stored trigger in its model's order (PostgreSQL's JSONB keeps keys in an order of its own). */
    static JsonNode stored(JsonNode trigger) {
        return trigger.isObject() ? trigger(trigger, false) : trigger;
    }

    private static ObjectNode trigger(JsonNode given, boolean freshIds) {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        String type = given.path("type").asText("event");
        t.put("type", type);
        t.put("id", freshIds || !given.hasNonNull("id") ? UUID.randomUUID().toString() : given.get("id").asText());
        if ("compound".equals(type) || "sequence".equals(type)) {
            ArrayNode triggers = t.putArray("triggers");
            given.path("triggers").forEach(child -> triggers.add(trigger(child, freshIds)));
            if ("compound".equals(type)) {
                t.set("require", given.path("require").isMissingNode() ? NullNode.getInstance() : given.get("require"));
            }
            t.set("within", seconds(given.get("within"), null));
            return t;
        }
        t.set("match", given.has("match") ? given.get("match") : JsonNodeFactory.instance.objectNode());
        t.set("match_related", given.has("match_related") ? given.get("match_related") : JsonNodeFactory.instance.objectNode());
        for (String set : new String[] {"after", "expect", "for_each"}) {
            t.set(set, given.has(set) ? given.get(set) : JsonNodeFactory.instance.arrayNode());
        }
        t.set("posture", given.get("posture"));
        t.put("threshold", given.path("threshold").asInt(1));
        t.set("within", seconds(given.get("within"), 0.0));
        return t;
    }

    /**
     * An action with the fields of its schema (matched by {@code type}) it left out: the declared
     * default, or null where the field may be null. A field whose default upstream computes
     * (a {@code default_factory}, absent from the schema) stays out.
     */
    static ObjectNode action(JsonNode given) {
        ObjectNode action = ((ObjectNode) given).deepCopy();
        JsonNode schema = schemaOf(given.path("type").asText());
        if (schema != null) {
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                JsonNode fallback = property.getValue().get("default");
                if (!action.has(property.getKey()) && fallback != null) {
                    action.set(property.getKey(), fallback.deepCopy());
                } else if (!action.has(property.getKey()) && nullable(property.getValue())) {
                    action.putNull(property.getKey());
                }
            }
        }
        return action;
    }

    static ArrayNode actions(JsonNode given) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (given != null) {
            given.forEach(a -> out.add(a.isObject() ? action(a) : a));
        }
        return out;
    }

    private static boolean nullable(JsonNode property) {
        for (JsonNode alternative : property.path("anyOf")) {
            if ("null".equals(alternative.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode schemaOf(String type) {
        JsonNode actions = OpenApiSchemas.get().component("AutomationCreate").path("properties").path("actions").path("items").path("anyOf");
        for (JsonNode ref : actions) {
            JsonNode schema = OpenApiSchemas.get().resolve(ref);
            if (type.equals(schema.path("properties").path("type").path("const").asText(null))) {
                return schema;
            }
        }
        return null;
    }

    /** A timedelta as pydantic writes it: float seconds. */
    private static JsonNode seconds(JsonNode given, Double fallback) {
        if (given != null && given.isNumber()) {
            return JsonNodeFactory.instance.numberNode(given.asDouble());
        }
        if (given != null && !given.isNull()) {
            return given;
        }
        return fallback == null ? NullNode.getInstance() : JsonNodeFactory.instance.numberNode(fallback);
    }
}
