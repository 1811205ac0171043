package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /flow_runs/} (upstream's {@code FlowRunCreate}), read from a body already
 * validated against that schema; absent documents become empty ones, an absent state PENDING.
 * {@code name} stays null when the client sends none: the service draws a random one.
 */
public record FlowRunCreate(ObjectNode state, String name, UUID flowId, String flowVersion, JsonNode parameters, JsonNode context,
                            UUID parentTaskRunId, UUID infrastructureDocumentId, JsonNode empiricalPolicy, List<String> tags,
                            ObjectNode labels, String idempotencyKey, String workPoolName, String workQueueName, JsonNode jobVariables,
                            UUID deploymentId) {

    public static FlowRunCreate from(JsonNode body) {
        return new FlowRunCreate(
                body.hasNonNull("state") ? (ObjectNode) body.get("state") : JsonNodeFactory.instance.objectNode().put("type", "PENDING"),
                Json.text(body, "name"), UUID.fromString(body.get("flow_id").asText()), Json.text(body, "flow_version"),
                Json.object(body, "parameters"), Json.object(body, "context"), Json.uuid(body, "parent_task_run_id"),
                Json.uuid(body, "infrastructure_document_id"), FlowRunPolicies.normalized(body.get("empirical_policy")), Json.texts(body.get("tags")),
                Json.object(body, "labels"), Json.text(body, "idempotency_key"), Json.text(body, "work_pool_name"), Json.text(body, "work_queue_name"),
                Json.object(body, "job_variables"), Json.uuid(body, "deployment_id"));
    }
}
