package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.PythonJson;
import org.openprefect.appliance.http.ApiException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /ui/schemas/validate}, what the UI's run-deployment form asks before it creates a run:
 * upstream's {@code preprocess_schema} (optional fields may be null, pydantic v1 tuples, a block
 * field may hold a block reference), its hydration of {@code __prefect_kind} values ({@code json},
 * {@code jinja} left unrendered, {@code workspace_variable}, {@code none}), JSON Schema 2020-12, and
 * its {@code build_error_obj} answer: {@code {"errors": [...], "valid": bool}} with errors nested by
 * property and index, worded as Python's jsonschema words them for the common keywords.
 */
public final class SchemaValuesValidation {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** Stands in for a hydrated placeholder while the values are validated; its own errors are replaced. */
    private static final String PLACEHOLDER = "__prefect_placeholder__";

    private final Function<String, Optional<JsonNode>> workspaceVariables;

    /** @param workspaceVariables a variable's value by name */
    public SchemaValuesValidation(Function<String, Optional<JsonNode>> workspaceVariables) {
        this.workspaceVariables = workspaceVariables;
    }

    public ObjectNode validate(JsonNode schema, JsonNode values) {
        ObjectNode prepared = preprocess(schema);
        JsonSchema validator;
        try {
            validator = FACTORY.getSchema(prepared, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (RuntimeException e) {
            throw ApiException.detail(422, "Invalid schema: " + e.getMessage());
        }
        Map<String, String> placeholders = new HashMap<>();
        JsonNode hydrated = hydrate(values, "", placeholders);
        if (hydrated == null) {
            hydrated = JsonNodeFactory.instance.objectNode();
        }
        List<Error> errors = new ArrayList<>();
        Set<ValidationMessage> problems;
        try {
            problems = validator.validate(hydrated);
        } catch (StackOverflowError e) {
            throw ApiException.detail(422, "Invalid schema: Unable to validate schema with circular references.");
        }
        for (ValidationMessage m : problems) {
            List<Object> path = new ArrayList<>();
            for (int i = 0; i < m.getInstanceLocation().getNameCount(); i++) {
                path.add(m.getInstanceLocation().getElement(i));
            }
            if (!placeholders.containsKey(key(path))) {
                errors.add(new Error(path, m.getType(), m.getProperty(), message(m)));
            }
        }
        placeholders.forEach((path, message) -> {
            if (message != null) {
                errors.add(new Error(parsePath(path), "placeholder", null, message));
            }
        });
        errors.sort(Comparator.comparing(e -> key(e.path())));
        return errorObject(errors);
    }

    private record Error(List<Object> path, String type, String property, String message) {
    }

    /** upstream's {@code build_error_obj}. */
    private static ObjectNode errorObject(List<Error> errors) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode root = response.putArray("errors");
        for (Error error : errors) {
            List<Object> path = new ArrayList<>(error.path());
            if ("required".equals(error.type()) && error.property() != null) {
                path.add(error.property());
            }
            ArrayNode current = root;
            if (path.isEmpty()) {
                current.add(error.message());
            }
            for (int i = 0; i < path.size(); i++) {
                Object part = path.get(i);
                String kind = part instanceof Integer ? "index" : "property";
                JsonNode key = part instanceof Integer n ? JsonNodeFactory.instance.numberNode(n) : TextNode.valueOf(part.toString());
                if (i == path.size() - 1) {
                    ObjectNode entry = current.addObject();
                    entry.set(kind, key);
                    entry.putArray("errors").add(error.message());
                } else {
                    ArrayNode next = null;
                    for (JsonNode entry : current) {
                        if (entry.isObject() && key.equals(entry.get(kind))) {
                            next = (ArrayNode) entry.get("errors");
                            break;
                        }
                    }
                    if (next == null) {
                        ObjectNode entry = current.addObject();
                        entry.set(kind, key);
                        next = entry.putArray("errors");
                    }
                    current = next;
                }
            }
        }
        response.put("valid", root.isEmpty());
        return response;
    }

    // ---- hydration ---------------------------------------------------------------------------

    /** The value with {@code __prefect_kind} objects resolved; null for a value to remove. Placeholders are recorded by path. */
    private JsonNode hydrate(JsonNode value, String path, Map<String, String> placeholders) {
        if (value.isObject() && value.has("__prefect_kind")) {
            return kind(value, path, placeholders);
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode hydrated = hydrate(field.getValue(), path + "/" + field.getKey(), placeholders);
                if (hydrated != null) {
                    out.set(field.getKey(), hydrated);
                }
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                JsonNode hydrated = hydrate(element, path + "/#" + out.size(), placeholders);
                if (hydrated != null) {
                    out.add(hydrated);
                }
            }
            return out;
        }
        return value;
    }

    private JsonNode kind(JsonNode object, String path, Map<String, String> placeholders) {
        String kind = object.get("__prefect_kind").asText();
        switch (kind) {
            case "none" -> {
                return object.has("value") ? hydrate(object.get("value"), path, placeholders) : placeholder(path, placeholders,
                        "Missing 'value' key in __prefect object");
            }
            case "json" -> {
                if (!object.has("value")) {
                    return null;
                }
                JsonNode inner = object.get("value").isObject() ? hydrate(object.get("value"), path, placeholders) : object.get("value");
                if (inner != null && inner.isTextual() && PLACEHOLDER.equals(inner.asText())) {
                    return inner;
                }
                try {
                    return Json.MAPPER.readTree(inner == null || !inner.isTextual() ? "" : inner.asText());
                } catch (Exception e) {
                    return placeholder(path, placeholders, "Invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            case "jinja" -> {
                // Rendering is off for this check, as upstream's: a template is taken as valid.
                return object.has("template") ? placeholder(path, placeholders, null)
                        : placeholder(path, placeholders, "Missing 'template' key in __prefect object");
            }
            case "workspace_variable" -> {
                if (!object.has("variable_name")) {
                    return null;
                }
                String name = object.get("variable_name").asText();
                return workspaceVariables.apply(name).orElseGet(() -> placeholder(path, placeholders,
                        "Variable '" + name + "' not found in workspace."));
            }
            default -> {
                return object.has("value") ? object.get("value") : JsonNodeFactory.instance.nullNode();
            }
        }
    }

    /** Records a placeholder (an error message, or null for one that is valid) and stands in for it. */
    private static JsonNode placeholder(String path, Map<String, String> placeholders, String message) {
        placeholders.put(path, message);
        return TextNode.valueOf(PLACEHOLDER);
    }

    private static String key(List<Object> path) {
        StringBuilder out = new StringBuilder();
        path.forEach(p -> out.append('/').append(p instanceof Integer ? "#" + p : p));
        return out.toString();
    }

    private static List<Object> parsePath(String key) {
        List<Object> path = new ArrayList<>();
        for (String part : key.split("/")) {
            if (!part.isEmpty()) {
                path.add(part.startsWith("#") ? (Object) Integer.valueOf(part.substring(1)) : part);
            }
        }
        return path;
    }

    // ---- upstream's preprocess_schema --------------------------------------------------------

    static ObjectNode preprocess(JsonNode schema) {
        ObjectNode copy = schema.isObject() ? ((ObjectNode) schema).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (copy.path("properties").isObject()) {
            processProperties((ObjectNode) copy.get("properties"), Json.texts(copy.get("required")));
        }
        if (copy.path("definitions").isObject()) {
            ObjectNode definitions = (ObjectNode) copy.get("definitions");
            for (Iterator<Map.Entry<String, JsonNode>> it = definitions.deepCopy().properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode definition = definitions.get(entry.getKey());
                if (definition.path("properties").isObject()) {
                    processProperties((ObjectNode) definition.get("properties"), Json.texts(definition.get("required")));
                }
                if (definition.has("block_type_slug") && definition.hasNonNull("title")) {
                    definitions.set(definition.get("title").asText(), blockOrReference(definition));
                }
            }
        }
        return copy;
    }

    private static void processProperties(ObjectNode properties, List<String> required) {
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            if (!(property.getValue() instanceof ObjectNode schema)) {
                continue;
            }
            if (!required.contains(property.getKey()) && schema.has("type") && !"null".equals(schema.get("type").asText())
                    && !schema.has("default")) {
                ArrayNode anyOf = JsonNodeFactory.instance.arrayNode();
                anyOf.addObject().set("type", schema.get("type"));
                anyOf.addObject().put("type", "null");
                schema.remove("type");
                schema.set("anyOf", anyOf);
            }
            if (schema.path("items").isArray() && !schema.has("prefixItems")) {
                schema.set("prefixItems", schema.remove("items"));
            }
            if (schema.path("properties").isObject()) {
                processProperties((ObjectNode) schema.get("properties"), Json.texts(schema.get("required")));
            }
        }
    }

    /** A block field accepts the block's fields or a reference to a saved block, as upstream's preprocessing allows. */
    private static ObjectNode blockOrReference(JsonNode definition) {
        ObjectNode either = JsonNodeFactory.instance.objectNode();
        ArrayNode oneOf = either.putArray("oneOf");
        oneOf.add(definition.deepCopy());
        ObjectNode reference = oneOf.addObject();
        reference.put("type", "object");
        ArrayNode refOneOf = reference.putObject("properties").putObject("$ref").putArray("oneOf");
        refOneOf.addObject().put("type", "string").put("format", "uuid");
        refOneOf.addObject().put("type", "object").put("minProperties", 1).putObject("additionalProperties").put("type", "string");
        reference.putArray("required").add("$ref");
        return either;
    }

    // ---- Python jsonschema's wording ----------------------------------------------------------

    private static String message(ValidationMessage m) {
        JsonNode instance = m.getInstanceNode();
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        return switch (m.getType()) {
            case "required" -> "'" + m.getProperty() + "' is a required property";
            case "type" -> repr(instance) + " is not of type " + typeList(keyword(m, "type"));
            case "enum" -> repr(instance) + " is not one of " + repr(keyword(m, "enum"));
            case "const" -> repr(keyword(m, "const")) + " was expected";
            case "minimum" -> repr(instance) + " is less than the minimum of " + number(keyword(m, "minimum"));
            case "maximum" -> repr(instance) + " is greater than the maximum of " + number(keyword(m, "maximum"));
            case "exclusiveMinimum" -> repr(instance) + " is less than or equal to the minimum of " + number(keyword(m, "exclusiveMinimum"));
            case "exclusiveMaximum" -> repr(instance) + " is greater than or equal to the maximum of "
                    + number(keyword(m, "exclusiveMaximum"));
            case "minLength" -> repr(instance) + " is too short";
            case "maxLength" -> repr(instance) + " is too long";
            case "minItems" -> repr(instance) + " should be non-empty";
            case "pattern" -> repr(instance) + " does not match " + repr(keyword(m, "pattern"));
            case "format" -> repr(instance) + " is not a " + repr(keyword(m, "format"));
            case "additionalProperties" -> "Additional properties are not allowed (" + repr(TextNode.valueOf(String.valueOf(m.getProperty())))
                    + " was unexpected)";
            case "anyOf", "oneOf" -> repr(instance) + " is not valid under any of the given schemas";
            default -> args.length > 0 ? m.getMessage().replaceFirst("^\\$[^:]*: ", "") : m.getMessage();
        };
    }

    /** The value of the keyword that failed (networknt hands either it or the schema object holding it). */
    private static JsonNode keyword(ValidationMessage m, String name) {
        JsonNode node = m.getSchemaNode();
        return node != null && node.isObject() && node.has(name) ? node.get(name) : node;
    }

    private static String typeList(JsonNode type) {
        if (type != null && type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add("'" + t.asText() + "'"));
            return String.join(", ", types);
        }
        return "'" + (type == null ? "" : type.asText()) + "'";
    }

    private static String number(JsonNode n) {
        return n == null ? "" : n.isIntegralNumber() ? n.asText() : PythonJson.floatRepr(n.asDouble());
    }

    /** Python's {@code repr} of a JSON value. */
    static String repr(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? value.asText() : PythonJson.floatRepr(value.asDouble());
        }
        if (value.isTextual()) {
            String s = value.asText();
            char quote = s.contains("'") && !s.contains("\"") ? '"' : '\'';
            StringBuilder out = new StringBuilder().append(quote);
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c == quote) {
                            out.append('\\').append(c);
                        } else if (c < 0x20 || c == 0x7f) {
                            out.append(String.format("\\x%02x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append(quote).toString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(repr(v)));
            return "[" + String.join(", ", items) + "]";
        }
        List<String> fields = new ArrayList<>();
        value.properties().forEach(f -> fields.add(repr(TextNode.valueOf(f.getKey())) + ": " + repr(f.getValue())));
        return "{" + String.join(", ", fields) + "}";
    }
}
