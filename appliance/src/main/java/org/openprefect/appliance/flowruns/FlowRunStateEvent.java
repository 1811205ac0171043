package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.orchestration.State;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Upstream's InstrumentFlowRunStateTransitions: every written flow-run state becomes an event
 * {@code prefect.flow-run.<StateName>}, which the UI's timelines and automations read. Messages are
 * cut at 100,000 characters as upstream cuts them.
 */
final class FlowRunStateEvent {
    private static final int MAX_MESSAGE = 100_000;

    /** What the event names of the run besides its states. */
    record Subject(UUID runId, String runName, int runCount, List<String> tags, UUID flowId, String flowName) {
    }

    private FlowRunStateEvent() {
    }

    static Event of(Subject run, State initial, State written) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("prefect.resource.id", "prefect.flow-run." + run.runId());
        resource.put("prefect.resource.name", run.runName());
        resource.put("prefect.run-count", Integer.toString(run.runCount()));
        resource.put("prefect.state-message", message(written));
        resource.put("prefect.state-name", written.name());
        resource.put("prefect.state-timestamp", Times.iso(written.timestamp()));
        resource.put("prefect.state-type", written.type().name());
        List<ObjectNode> related = new ArrayList<>();
        related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.flow." + run.flowId())
                .put("prefect.resource.role", "flow").put("prefect.resource.name", run.flowName()));
        run.tags().forEach(tag -> related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.tag." + tag)
                .put("prefect.resource.role", "tag")));
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("intended").put("from", initial == null ? null : initial.type().name()).put("to", written.type().name());
        if (initial == null) {
            payload.putNull("initial_state");
        } else {
            payload.set("initial_state", summary(initial));
        }
        payload.set("validated_state", summary(written));
        return new Event(written.timestamp(), "prefect.flow-run." + written.name(), resource, related, payload,
                Ids.v7(written.timestamp()), null, null);
    }

    private static ObjectNode summary(State state) {
        return JsonNodeFactory.instance.objectNode().put("type", state.type().name()).put("name", state.name()).put("message", message(state));
    }

    private static String message(State state) {
        String message = state.message() == null ? "" : state.message();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    }
}
