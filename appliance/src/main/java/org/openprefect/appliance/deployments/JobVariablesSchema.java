package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A work pool's {@code base_job_template.variables} as upstream applies it to job variables
 * (api/validation.py): the schema's defaults merged under the overrides, a property with a default
 * also accepting null, and {@code required} ignored for a deployment (its runs may still supply
 * them) but enforced for a run. Defaults that reference a block are skipped until blocks exist.
 */
final class JobVariablesSchema {
    private JobVariablesSchema() {
    }

    /** The first problem of the merged {@code overrides} (null ones skipped), or empty when they conform or the pool has no variables schema. */
    static Optional<String> problem(JsonNode baseJobTemplate, List<JsonNode> overrides, boolean enforceRequired) {
        JsonNode variables = baseJobTemplate == null ? null : baseJobTemplate.get("variables");
        if (variables == null || !variables.isObject() || !variables.path("properties").isObject()) {
            return Optional.empty();
        }
        ObjectNode schema = ((ObjectNode) variables).deepCopy();
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode properties = (ObjectNode) schema.get("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode fallback = property.getValue().get("default");
            if (fallback == null || fallback.has("$ref")) {
                continue;
            }
            merged.set(property.getKey(), fallback);
            ObjectNode nullable = JsonNodeFactory.instance.objectNode();
            nullable.putArray("anyOf").add(property.getValue()).add(JsonNodeFactory.instance.objectNode().put("type", "null"));
            properties.set(property.getKey(), nullable);
        }
        overrides.stream().filter(o -> o != null && o.isObject()).forEach(o -> merged.setAll((ObjectNode) o));
        if (!enforceRequired) {
            withoutRequired(schema);
        }
        return ParameterSchema.problem(schema, merged);
    }

    private static void withoutRequired(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove("required");
        }
        node.forEach(JobVariablesSchema::withoutRequired);
    }
}
