package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.events.EventRecorder;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Turns the {@code prefect.task-run.*} events the Prefect 3 engine sends for client-side
 * orchestrated task runs into task runs and their states, as upstream's TaskRunRecorder does:
 * idempotent by ids, and an older state never replaces a newer one.
 */
public final class TaskRunRecorder implements EventRecorder<TaskRunRepository.Recorded> {
    private static final String TASK_RUN_PREFIX = "prefect.task-run.";
    private static final String FLOW_RUN_PREFIX = "prefect.flow-run.";

    private final TaskRunRepository taskRuns;

    public TaskRunRecorder(SqlDialect dialect) {
        this.taskRuns = new TaskRunRepository(dialect);
    }

    @Override
    public boolean wants(Event event) {
        return event.event().startsWith(TASK_RUN_PREFIX) && "client".equals(event.resource().path("prefect.orchestration").asText());
    }

    @Override
    public TaskRunRepository.Recorded prepare(Event event) {
        String resourceId = event.resourceId();
        UUID taskRunId = Ids.parseOrNull(resourceId.startsWith(TASK_RUN_PREFIX) ? resourceId.substring(TASK_RUN_PREFIX.length()) : null);
        JsonNode validated = event.payload().path("validated_state");
        if (taskRunId == null || !validated.hasNonNull("type")) {
            return null;
        }
        String flowRun = event.relatedId("flow-run");
        UUID flowRunId = flowRun != null && flowRun.startsWith(FLOW_RUN_PREFIX) ? Ids.parseOrNull(flowRun.substring(FLOW_RUN_PREFIX.length())) : null;
        NewTaskRun run = NewTaskRun.from(taskRunId, flowRunId, event.payload().path("task_run"), "task-run", taskRunId.toString());
        ObjectNode details = State.normalizedDetails(validated.path("state_details"));
        details.put("task_run_id", taskRunId.toString());
        if (flowRunId != null) {
            details.put("flow_run_id", flowRunId.toString());
        }
        Instant occurred = event.occurred();
        State state = new State(event.id(), StateType.valueOf(validated.get("type").asText()),
                text(validated, "name", StateType.valueOf(validated.get("type").asText()).defaultName()), occurred,
                text(validated, "message", null), validated.has("data") ? validated.get("data") : JsonNodeFactory.instance.nullNode(), details);
        return taskRuns.prepareRecord(run, state);
    }

    @Override
    public void record(Connection c, List<TaskRunRepository.Recorded> recordings) throws SQLException {
        taskRuns.record(c, recordings);
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }
}
