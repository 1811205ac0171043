package org.openprefect.it.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bad requests generated from upstream's OpenAPI document: for each operation with a JSON body, a
 * minimal valid body and its mutations (required fields missing, wrong types, an unknown field,
 * huge strings and integers, deep values, bad formats, bodies that are not objects or not JSON),
 * and for query parameters values of the wrong type. The number per operation is capped so the
 * whole document makes a few thousand requests.
 */
final class RequestMutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_FIELDS = 10;

    /** One request to send: method, concrete path (query included), content type and raw body (null for none). */
    record Request(String method, String path, String contentType, String body, String label) {
    }

    private final JsonNode document;

    RequestMutations(JsonNode document) {
        this.document = document;
    }

    List<Request> all() {
        List<Request> requests = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                String concrete = "/api" + fillPathParameters(path.getKey(), op.getValue());
                JsonNode schema = op.getValue().at("/requestBody/content/application~1json/schema");
                if (!schema.isMissingNode()) {
                    bodies(resolve(schema)).forEach((label, body) ->
                            requests.add(new Request(method, concrete, "application/json", body, label)));
                    requests.add(new Request(method, concrete, "text/plain", "{}", "text/plain body"));
                    requests.add(new Request(method, concrete, "application/json", "{\"a\":", "truncated JSON"));
                }
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    if ("query".equals(parameter.path("in").asText())) {
                        String bad = wrongQueryValue(resolve(parameter.path("schema")));
                        if (bad != null) {
                            requests.add(new Request(method, concrete + "?" + parameter.path("name").asText() + "=" + bad, null, null,
                                    "query " + parameter.path("name").asText() + "=" + bad));
                        }
                    }
                }
            }
        }
        return requests;
    }

    private String fillPathParameters(String template, JsonNode operation) {
        String path = template;
        for (JsonNode parameter : operation.path("parameters")) {
            if ("path".equals(parameter.path("in").asText())) {
                boolean uuid = "uuid".equals(resolve(parameter.path("schema")).path("format").asText());
                path = path.replace("{" + parameter.path("name").asText() + "}", uuid ? UUID.randomUUID().toString() : "fuzz-name");
            }
        }
        return path;
    }

    private static String wrongQueryValue(JsonNode schema) {
        return switch (type(schema)) {
            case "integer" -> "1180591620717411303424";
            case "number", "boolean" -> "not-a-value";
            case "string" -> "uuid".equals(schema.path("format").asText()) || "date-time".equals(schema.path("format").asText())
                    ? "not-a-" + schema.path("format").asText() : null;
            default -> null;
        };
    }

    /** Labelled bodies for one body schema. */
    private Map<String, String> bodies(JsonNode schema) {
        Map<String, String> bodies = new LinkedHashMap<>();
        JsonNode valid = sample(schema, 0);
        bodies.put("minimal valid body", valid.toString());
        bodies.put("array body", "[]");
        bodies.put("string body", "\"text\"");
        bodies.put("number body", "42");
        bodies.put("null body", "null");
        bodies.put("deep body", "[".repeat(600) + "]".repeat(600));
        if (!(valid instanceof ObjectNode object)) {
            return bodies;
        }
        ObjectNode unknown = object.deepCopy();
        unknown.put("zz_unknown_field", 1);
        bodies.put("unknown field", unknown.toString());
        int required = 0;
        for (JsonNode name : schema.path("required")) {
            if (required++ == MAX_FIELDS) {
                break;
            }
            ObjectNode missing = object.deepCopy();
            missing.remove(name.asText());
            bodies.put("missing " + name.asText(), missing.toString());
        }
        int fields = 0;
        for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext() && fields++ < MAX_FIELDS;) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode propertySchema = nonNull(resolve(property.getValue()));
            String field = property.getKey();
            bodies.put("wrong type " + field, with(object, field, wrongType(propertySchema)).toString());
            switch (type(propertySchema)) {
                case "string" -> {
                    bodies.put("huge " + field, with(object, field, TextNode.valueOf("x".repeat(200_000))).toString());
                    String format = propertySchema.path("format").asText();
                    if (!format.isEmpty()) {
                        bodies.put("bad format " + field, with(object, field, TextNode.valueOf("not a " + format)).toString());
                    }
                }
                case "integer", "number" -> {
                    bodies.put("huge " + field, with(object, field, NODES.numberNode(BigInteger.TWO.pow(70))).toString());
                    bodies.put("negative " + field, with(object, field, NODES.numberNode(-1)).toString());
                }
                case "object", "" -> bodies.put("deep " + field, with(object, field, deepValue(400)).toString());
                case "array" -> bodies.put("long " + field, with(object, field, longArray()).toString());
                default -> {
                }
            }
        }
        return bodies;
    }

    private static ObjectNode with(ObjectNode object, String field, JsonNode value) {
        ObjectNode copy = object.deepCopy();
        copy.set(field, value);
        return copy;
    }

    private static JsonNode deepValue(int levels) {
        JsonNode value = NODES.numberNode(1);
        for (int i = 0; i < levels; i++) {
            value = NODES.objectNode().set("a", value);
        }
        return value;
    }

    private static ArrayNode longArray() {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < 10_000; i++) {
            array.add("item" + i);
        }
        return array;
    }

    private static JsonNode wrongType(JsonNode schema) {
        return switch (type(schema)) {
            case "string" -> NODES.numberNode(12345);
            case "integer", "number" -> TextNode.valueOf("not-a-number");
            case "boolean" -> TextNode.valueOf("maybe");
            case "array" -> NODES.objectNode().put("a", 1);
            case "object" -> NODES.arrayNode().add(1);
            default -> NODES.arrayNode().add(NODES.arrayNode());
        };
    }

    /** A value that fits the schema, with only the required fields of objects. */
    private JsonNode sample(JsonNode schema, int depth) {
        JsonNode s = nonNull(resolve(schema));
        if (s.has("default") && depth > 0) {
            return s.get("default");
        }
        if (s.has("enum")) {
            return s.get("enum").get(0);
        }
        return switch (type(s)) {
            case "string" -> switch (s.path("format").asText()) {
                case "uuid" -> TextNode.valueOf(UUID.randomUUID().toString());
                case "date-time" -> TextNode.valueOf(Instant.now().toString());
                default -> TextNode.valueOf("fuzz-" + UUID.randomUUID().toString().substring(0, 8));
            };
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.5);
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> NODES.arrayNode();
            default -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 4) {
                    for (JsonNode name : s.path("required")) {
                        object.set(name.asText(), sample(s.path("properties").path(name.asText()), depth + 1));
                    }
                }
                yield object;
            }
        };
    }

    private static String type(JsonNode schema) {
        return schema.path("type").asText();
    }

    private JsonNode nonNull(JsonNode schema) {
        for (JsonNode alternative : schema.path("anyOf")) {
            if (!"null".equals(alternative.path("type").asText())) {
                return resolve(alternative);
            }
        }
        return schema;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            s = document.at(s.get("$ref").asText().substring(1));
        }
        if (s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(s.get("allOf").get(0));
        }
        return s;
    }
}
