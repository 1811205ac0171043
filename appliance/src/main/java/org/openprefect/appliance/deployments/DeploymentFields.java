package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The deployment columns a {@code DeploymentCreate} or {@code DeploymentUpdate} body sets. Upstream
 * writes only the fields the client sent ({@code exclude_unset}), an explicit null included, so a
 * re-applied deployment keeps what the new body leaves out; this keeps the same rule.
 */
final class DeploymentFields {
    private static final Set<String> TEXT = Set.of("version", "description", "path", "entrypoint", "work_queue_name",
            "storage_document_id", "infrastructure_document_id");
    private static final Set<String> BOOLEAN = Set.of("paused", "enforce_parameter_schema");
    private static final Set<String> JSON = Set.of("concurrency_options", "parameter_openapi_schema", "parameters", "tags", "pull_steps");
    /** Columns that cannot be null: a null sent for one (DeploymentUpdate allows it) leaves it as stored. */
    private static final Set<String> NOT_NULL = Set.of("paused", "enforce_parameter_schema", "parameters", "tags");

    private DeploymentFields() {
    }

    /** Column name to value, for every plain field present in the body, in a stable order. */
    static Map<String, Object> sent(JsonNode body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        body.fieldNames().forEachRemaining(field -> {
            JsonNode value = body.get(field);
            if (value.isNull() && NOT_NULL.contains(field)) {
                return;
            }
            if (TEXT.contains(field)) {
                columns.put(field, value.isNull() ? null : value.asText());
            } else if (BOOLEAN.contains(field)) {
                columns.put(field, value.asBoolean());
            } else if (JSON.contains(field)) {
                columns.put(field, value);
            } else if (field.equals("concurrency_limit")) {
                columns.put(field, value.isNull() ? null : value.asInt());
            } else if (field.equals("job_variables") && value.isObject() && !value.isEmpty()) {
                // Upstream writes job variables only when there are some ("if job_variables:").
                columns.put("infra_overrides", value);
            }
        });
        return columns;
    }
}
