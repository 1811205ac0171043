package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.orchestration.OrchestrationResult;

import java.util.Locale;
import java.util.UUID;

/**
 * The run page's buttons, as the official UI sends them: a run with a deployment is set
 * Cancelling (its worker or runner stops it and reports Cancelled), one without is set Cancelled;
 * retry proposes Scheduled "AwaitingRetry"; resume is the API's resume. Each goes through the
 * orchestration rules, which may refuse; the answer says so.
 */
final class RunActions {
    private final FlowRunService flowRuns;

    RunActions(FlowRunService flowRuns) {
        this.flowRuns = flowRuns;
    }

    String cancel(UUID id) {
        boolean fromDeployment = !flowRuns.read(id).toJson().path("deployment_id").isNull();
        return outcome("Cancel", propose(id, fromDeployment ? "CANCELLING" : "CANCELLED", null, "Cancelled from the dashboard"));
    }

    String retry(UUID id) {
        return outcome("Retry", propose(id, "SCHEDULED", "AwaitingRetry", "Retried from the dashboard"));
    }

    String resume(UUID id) {
        ObjectNode body = flowRuns.resume(id, Json.MAPPER.createObjectNode().putNull("run_input")).body();
        return "Resume: " + verdict(body.path("status").asText()) + describe(body.path("details").path("reason").asText(""));
    }

    private OrchestrationResult propose(UUID id, String type, String name, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode state = body.putObject("state").put("type", type).put("message", message);
        if (name != null) {
            state.put("name", name);
        }
        return flowRuns.setState(id, body);
    }

    private static String outcome(String action, OrchestrationResult result) {
        return action + ": " + verdict(result.status().name()) + describe(result.reason());
    }

    /** The orchestration's answer in words: accepted, rejected, aborted, or asked to wait. */
    private static String verdict(String status) {
        return switch (status) {
            case "ACCEPT" -> "accepted";
            case "REJECT" -> "rejected";
            case "ABORT" -> "aborted";
            case "WAIT" -> "asked to wait";
            default -> status.toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(String reason) {
        return reason == null || reason.isBlank() ? "." : " (" + reason + ").";
    }
}
