package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateType;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Upstream's flow_run_state_change_event (prefect/server/models/events.py): every written flow-run
 * state becomes the event {@code prefect.flow-run.<StateName>}, which the runner (to stop a
 * cancelled run), the UI's timelines and automations read. Its id is the state's id and it
 * {@code follows} the previous state's when the two are within five minutes, so consumers can
 * order them; the related resources are the flow, deployment, work queue and pool and parent task
 * run, then every tag of those, then the run's creator. Messages are cut at 100,000 characters.
 */
final class FlowRunStateEvent {
    private static final int MAX_MESSAGE = 100_000;
    private static final Duration TIGHT_TIMING = Duration.ofMinutes(5);
    private static final DateTimeFormatter PYTHON_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]xxx");

    /** A resource the run is related to; {@code type} only for a work pool. */
    record Related(String kind, UUID id, String name, List<String> tags, String type) {
    }

    /** What the event names of the run besides its states. */
    record Subject(UUID runId, String runName, int runCount, List<String> runTags, List<Related> related, JsonNode createdBy) {
    }

    private FlowRunStateEvent() {
    }

    static Event of(Subject run, State initial, State written) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("prefect.resource.id", "prefect.flow-run." + run.runId());
        resource.put("prefect.resource.name", run.runName());
        resource.put("prefect.run-count", Integer.toString(run.runCount()));
        resource.put("prefect.state-message", message(written));
        resource.put("prefect.state-name", written.name() == null ? "" : written.name());
        resource.put("prefect.state-timestamp", pythonIso(written.timestamp()));
        resource.put("prefect.state-type", written.type().name());
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("intended").put("from", initial == null ? null : initial.type().name()).put("to", written.type().name());
        payload.set("initial_state", summary(initial));
        payload.set("validated_state", summary(written));
        boolean tight = initial != null && initial.timestamp() != null
                && Duration.between(initial.timestamp(), written.timestamp()).abs().compareTo(TIGHT_TIMING) < 0;
        return new Event(written.timestamp(), "prefect.flow-run." + written.name(), resource, related(run), payload, written.id(),
                tight ? initial.id() : null, null);
    }

    private static List<ObjectNode> related(Subject run) {
        List<ObjectNode> related = new ArrayList<>();
        Set<String> tags = new TreeSet<>(run.runTags());
        for (Related r : run.related()) {
            tags.addAll(r.tags());
            ObjectNode node = JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect." + r.kind() + "." + r.id())
                    .put("prefect.resource.role", r.kind()).put("prefect.resource.name", r.name());
            if (r.type() != null) {
                node.put("prefect.work-pool.type", r.type());
            }
            related.add(node);
        }
        tags.forEach(tag -> related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.tag." + tag)
                .put("prefect.resource.role", "tag")));
        JsonNode creator = run.createdBy();
        String creatorType = creator == null ? "" : creator.path("type").asText();
        if (creatorType.equals("DEPLOYMENT") || creatorType.equals("AUTOMATION")) {
            ObjectNode node = JsonNodeFactory.instance.objectNode()
                    .put("prefect.resource.id", "prefect." + creatorType.toLowerCase() + "." + creator.path("id").asText())
                    .put("prefect.resource.role", "creator");
            if (creator.hasNonNull("display_value") && !creator.get("display_value").asText().isEmpty()) {
                node.put("prefect.resource.name", creator.get("display_value").asText());
            }
            related.add(node);
        }
        return related;
    }

    /** upstream's state_payload: the type, the name and message when there are any, and whether a pause reschedules. */
    private static ObjectNode summary(State state) {
        if (state == null) {
            return null;
        }
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("type", state.type().name());
        if (state.name() != null && !state.name().isEmpty()) {
            s.put("name", state.name());
        }
        if (state.message() != null && !state.message().isEmpty()) {
            s.put("message", message(state));
        }
        if (state.type() == StateType.PAUSED) {
            s.put("pause_reschedule", Boolean.toString(state.details().path("pause_reschedule").asBoolean(false)));
        }
        return s;
    }

    private static String message(State state) {
        String message = state.message() == null ? "" : state.message();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    }

    /** Python's isoformat of a UTC time: +00:00, microseconds only when there are any. */
    static String pythonIso(Instant at) {
        return PYTHON_ISO.format(at.atOffset(ZoneOffset.UTC).withNano(at.getNano() / 1000 * 1000));
    }
}
