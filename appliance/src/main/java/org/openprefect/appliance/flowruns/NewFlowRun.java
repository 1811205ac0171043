package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

/** The columns of a flow run being created, resolved and defaulted from a {@code FlowRunCreate}. */
public record NewFlowRun(UUID id, String name, UUID flowId, UUID deploymentId, String deploymentVersion, UUID workQueueId,
                         String workQueueName, String flowVersion, JsonNode parameters, String idempotencyKey, JsonNode context,
                         JsonNode empiricalPolicy, JsonNode tags, JsonNode labels, JsonNode createdBy, JsonNode jobVariables,
                         UUID infrastructureDocumentId, UUID parentTaskRunId) {
}
