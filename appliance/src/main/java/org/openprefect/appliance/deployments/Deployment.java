package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.concurrency.GlobalLimit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deployment as upstream 3.4's server answers it ({@code DeploymentResponse}): the fields and
 * their order are those of the recorded answers in {@code traces/serve.jsonl}, which leave out the
 * {@code work_queue_id} that {@code openapi.json} lists. {@code jobVariables} is stored as
 * upstream stores it, in the {@code infra_overrides} column.
 */
public record Deployment(UUID id, Instant created, Instant updated, String name, String version, String description, UUID flowId,
                         boolean paused, List<DeploymentSchedule> schedules, UUID concurrencyLimitId, GlobalLimit globalConcurrencyLimit,
                         JsonNode concurrencyOptions, JsonNode jobVariables, ObjectNode parameters, List<String> tags, ObjectNode labels,
                         String workQueueName, UUID workQueueId, Instant lastPolled, JsonNode parameterOpenapiSchema, String path,
                         JsonNode pullSteps, String entrypoint, UUID storageDocumentId, UUID infrastructureDocumentId, JsonNode createdBy,
                         JsonNode updatedBy, String workPoolName, String status, boolean enforceParameterSchema) implements WireShape {

    public Deployment withSchedules(List<DeploymentSchedule> list) {
        return new Deployment(id, created, updated, name, version, description, flowId, paused, list, concurrencyLimitId, globalConcurrencyLimit, concurrencyOptions,
                jobVariables, parameters, tags, labels, workQueueName, workQueueId, lastPolled, parameterOpenapiSchema, path, pullSteps,
                entrypoint, storageDocumentId, infrastructureDocumentId, createdBy, updatedBy, workPoolName, status, enforceParameterSchema);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("version", version);
        j.put("description", description);
        j.put("flow_id", flowId.toString());
        j.put("paused", paused);
        var list = j.putArray("schedules");
        schedules.forEach(s -> list.add(s.toJson()));
        // Upstream 3.4 always answers null here ("DEPRECATED ... Will always be None"); the limit is the global one.
        j.putNull("concurrency_limit");
        j.set("global_concurrency_limit", globalConcurrencyLimit == null ? null : globalConcurrencyLimit.toResponseJson());
        j.set("concurrency_options", concurrencyOptions);
        j.set("job_variables", jobVariables);
        j.set("parameters", parameters);
        tags.forEach(j.putArray("tags")::add);
        j.set("labels", labels);
        j.put("work_queue_name", workQueueName);
        j.put("last_polled", Times.iso(lastPolled));
        j.set("parameter_openapi_schema", parameterOpenapiSchema);
        j.put("path", path);
        j.set("pull_steps", pullSteps);
        j.put("entrypoint", entrypoint);
        j.put("storage_document_id", Json.text(storageDocumentId));
        j.put("infrastructure_document_id", Json.text(infrastructureDocumentId));
        j.set("created_by", createdBy);
        j.set("updated_by", updatedBy);
        j.put("work_pool_name", workPoolName);
        j.put("status", status);
        j.put("enforce_parameter_schema", enforceParameterSchema);
        return j;
    }
}
