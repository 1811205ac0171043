package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.orchestration.FlowRules;
import org.openprefect.appliance.orchestration.OrchestrationResult;
import org.openprefect.appliance.orchestration.Orchestrator;
import org.openprefect.appliance.orchestration.RunRecord;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /flow_runs/{id}/resume}: a paused run goes back to RUNNING, or to
 * {@code Scheduled("Resuming")} when it was suspended; input it waits for is validated against the
 * schema the flow stored and kept for it to read.
 */
final class FlowRunResumes {
    private final FlowRunRepository runs;
    private final FlowRunInputRepository inputs;

    FlowRunResumes(FlowRunRepository runs, FlowRunInputRepository inputs) {
        this.runs = runs;
        this.inputs = inputs;
    }

    /** The response body ({@code OrchestrationResult}) and whether a state was written. */
    public record Outcome(ObjectNode body, boolean written) {
    }

    Outcome resume(Connection c, UUID id, JsonNode runInput) throws SQLException {
        RunRecord run = runs.loadForUpdate(c, id);
        if (run == null) {
            throw new Orchestrator.RunNotFoundException("Flow run with id " + id + " not found");
        }
        State current = run.stateId == null ? null : runs.readState(c, run.stateId);
        if (current == null || current.type() != StateType.PAUSED) {
            return new Outcome(new OrchestrationResult(current, OrchestrationResult.Status.ABORT,
                    "Cannot resume a flow run that is not paused.", null, false).toJson(), false);
        }
        JsonNode keyset = current.details().get("run_input_keyset");
        if (keyset != null && keyset.isObject() && keyset.hasNonNull("schema")) {
            String problem = checkInput(c, id, keyset, runInput);
            if (problem != null) {
                // Upstream's quirk, kept for clients that read it: status REJECT with abort details.
                ObjectNode body = new OrchestrationResult(current, OrchestrationResult.Status.REJECT, problem, null, false).toJson();
                body.putObject("details").put("type", "abort_details").put("reason", problem);
                return new Outcome(body, false);
            }
        }
        Instant now = Times.now();
        boolean suspended = current.details().path("pause_reschedule").asBoolean(false);
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        State proposed = suspended
                ? State.of(StateType.SCHEDULED, "Resuming", null, now, details.put("scheduled_time", Times.iso(now)))
                : State.of(StateType.RUNNING, "Running", null, now, details);
        OrchestrationResult result = Orchestrator.transition(c, runs, run, current, proposed, FlowRules.corePolicy(), true, now);
        return new Outcome(result.toJson(), result.written());
    }

    /** Null when the input fits the stored schema (and is then kept), else the reason. */
    private String checkInput(Connection c, UUID id, JsonNode keyset, JsonNode runInput) throws SQLException {
        String schemaText = inputs.value(c, id, keyset.get("schema").asText());
        if (schemaText == null) {
            return "Run input schema not found.";
        }
        if (runInput == null || runInput.isNull()) {
            return "Run input is required for this flow run.";
        }
        try {
            JsonNode schema = Json.MAPPER.readTree(schemaText);
            Set<ValidationMessage> problems = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(runInput);
            if (!problems.isEmpty()) {
                return "Reason: " + problems.iterator().next().getMessage();
            }
        } catch (Exception e) {
            return "Run input could not be validated: " + e.getMessage();
        }
        if (keyset.hasNonNull("response")) {
            inputs.insert(c, id, keyset.get("response").asText(), runInput.toString(), null);
        }
        return null;
    }
}
