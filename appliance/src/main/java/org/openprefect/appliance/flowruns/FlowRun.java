package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.orchestration.RunTimes;
import org.openprefect.appliance.orchestration.State;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A flow run as upstream's {@code FlowRun} response answers it: every field, in upstream's order,
 * nulls included. The JSON-valued fields (parameters, context, policy, job variables) are the
 * user's own documents and pass through as they were stored.
 */
public record FlowRun(UUID id, Instant created, Instant updated, String name, UUID flowId, UUID stateId, UUID deploymentId,
                      String deploymentVersion, UUID workQueueId, String workQueueName, String flowVersion, JsonNode parameters,
                      String idempotencyKey, JsonNode context, JsonNode empiricalPolicy, List<String> tags, ObjectNode labels,
                      UUID parentTaskRunId, RunTimes times, boolean autoScheduled, UUID infrastructureDocumentId,
                      String infrastructurePid, JsonNode createdBy, UUID workPoolId, String workPoolName, State state,
                      JsonNode jobVariables) implements WireShape {

    public boolean isFromDeployment() {
        return deploymentId != null;
    }

    /**
     * The core {@code FlowRun} schema a worker receives inside a {@code WorkerFlowRunResponse}: no
     * work pool fields, {@code work_queue_id} after {@code created_by}, and no state loaded (null).
     */
    public ObjectNode toCoreJson() {
        ObjectNode full = toJson();
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        full.properties().forEach(e -> {
            switch (e.getKey()) {
                case "work_queue_id", "work_pool_id", "work_pool_name", "state", "job_variables" -> { }
                case "created_by" -> {
                    j.set("created_by", e.getValue());
                    j.set("work_queue_id", full.get("work_queue_id"));
                }
                default -> j.set(e.getKey(), e.getValue());
            }
        });
        j.putNull("state");
        j.set("job_variables", full.get("job_variables"));
        return j;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("flow_id", flowId.toString());
        j.put("state_id", Json.text(stateId));
        j.put("deployment_id", Json.text(deploymentId));
        j.put("deployment_version", deploymentVersion);
        j.put("work_queue_id", Json.text(workQueueId));
        j.put("work_queue_name", workQueueName);
        j.put("flow_version", flowVersion);
        j.set("parameters", parameters);
        j.put("idempotency_key", idempotencyKey);
        j.set("context", context);
        j.set("empirical_policy", empiricalPolicy);
        tags.forEach(j.putArray("tags")::add);
        j.set("labels", labels);
        j.put("parent_task_run_id", Json.text(parentTaskRunId));
        times.putInto(j);
        j.put("auto_scheduled", autoScheduled);
        j.put("infrastructure_document_id", Json.text(infrastructureDocumentId));
        j.put("infrastructure_pid", infrastructurePid);
        j.set("created_by", createdBy);
        j.put("work_pool_id", Json.text(workPoolId));
        j.put("work_pool_name", workPoolName);
        j.set("state", state == null ? NullNode.getInstance() : state.toJson());
        j.set("job_variables", jobVariables);
        return j;
    }
}
