package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.taskruns.NewTaskRun;
import org.openprefect.appliance.taskruns.TaskRunRepository;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns the {@code prefect.task-run.*} events the Prefect 3 engine sends for client-side
 * orchestrated task runs into task runs and their states, as upstream's TaskRunRecorder does:
 * idempotent by ids, and an older state never replaces a newer one.
 */
public final class TaskRunRecorder {
    private static final String TASK_RUN_PREFIX = "prefect.task-run.";
    private static final String FLOW_RUN_PREFIX = "prefect.flow-run.";

    private final TaskRunRepository taskRuns;

    public TaskRunRecorder(SqlDialect dialect) {
        this.taskRuns = new TaskRunRepository(dialect);
    }

    public static boolean wants(JsonNode event) {
        return event.path("event").asText().startsWith("prefect.task-run.")
                && "client".equals(event.path("resource").path("prefect.orchestration").asText());
    }

    public void record(Connection c, JsonNode event) throws SQLException {
        String resourceId = event.path("resource").path("prefect.resource.id").asText();
        UUID taskRunId = Ids.parseOrNull(resourceId.startsWith(TASK_RUN_PREFIX) ? resourceId.substring(TASK_RUN_PREFIX.length()) : null);
        JsonNode validated = event.path("payload").path("validated_state");
        if (taskRunId == null || !validated.hasNonNull("type")) {
            return;
        }
        UUID flowRunId = null;
        for (JsonNode related : event.path("related")) {
            String id = related.path("prefect.resource.id").asText();
            if ("flow-run".equals(related.path("prefect.resource.role").asText()) && id.startsWith(FLOW_RUN_PREFIX)) {
                flowRunId = Ids.parseOrNull(id.substring(FLOW_RUN_PREFIX.length()));
            }
        }
        NewTaskRun run = NewTaskRun.from(taskRunId, flowRunId, event.path("payload").path("task_run"), "task-run", taskRunId.toString());
        ObjectNode details = State.normalizedDetails(validated.path("state_details"));
        details.put("task_run_id", taskRunId.toString());
        if (flowRunId != null) {
            details.put("flow_run_id", flowRunId.toString());
        }
        Instant occurred = Times.parse(event.get("occurred").asText());
        State state = new State(UUID.fromString(event.get("id").asText()), StateType.valueOf(validated.get("type").asText()),
                text(validated, "name", StateType.valueOf(validated.get("type").asText()).defaultName()), occurred,
                text(validated, "message", null), validated.has("data") ? validated.get("data") : JsonNodeFactory.instance.nullNode(), details);
        UUID stored = taskRuns.insertIfAbsent(c, run);
        taskRuns.recordState(c, stored, run, state);
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }
}
