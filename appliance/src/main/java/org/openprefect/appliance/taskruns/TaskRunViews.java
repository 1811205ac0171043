package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.orchestration.StateType;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The UI's views of task runs (upstream's {@code /ui/task_runs/*}): counts by state, the
 * dashboard's completed/failed buckets over a window, a task run with its flow run's name.
 */
public final class TaskRunViews {
    /** upstream's {@code CountByState}: every state type the UI charts, in its order. */
    private static final List<String> COUNTED = List.of("COMPLETED", "PENDING", "RUNNING", "FAILED", "CANCELLED", "CRASHED", "PAUSED",
            "CANCELLING", "SCHEDULED");
    private static final List<String> FAILED = List.of("CRASHED", "FAILED");
    private static final int BUCKETS = 20;

    private final Database db;
    private final SqlDialect dialect;
    private final TaskRunRepository runs;

    public TaskRunViews(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.runs = new TaskRunRepository(db.dialect());
    }

    public ObjectNode countByState(JsonNode body) {
        Where where = runs.where(body);
        Map<String, Long> counts = new LinkedHashMap<>();
        db.read(c -> Rows.query(c, "SELECT task_run.state_type, count(*) AS n FROM task_run WHERE " + where.sql()
                + " GROUP BY task_run.state_type", where.params(), rs -> counts.put(rs.getString("state_type"), rs.getLong("n"))));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        COUNTED.forEach(type -> out.put(type, counts.getOrDefault(type, 0L)));
        return out;
    }

    /**
     * Terminal task runs that started in {@code task_runs.start_time} (to now when it has no end),
     * counted in 20 equal buckets as completed or failed (Failed and Crashed), as upstream's
     * dashboard counts them; the filter's own state criterion is replaced by the terminal states.
     */
    public List<ObjectNode> dashboardCounts(JsonNode body) {
        JsonNode startTime = body.path("task_runs").path("start_time");
        if (!startTime.hasNonNull("after_")) {
            throw ApiException.detail(422, "task_runs.start_time.after_ is required");
        }
        Instant start = Times.parse(startTime.get("after_").asText()).truncatedTo(ChronoUnit.MINUTES);
        Instant before = startTime.hasNonNull("before_") ? Times.parse(startTime.get("before_").asText()) : Times.now();
        Instant end = before.truncatedTo(ChronoUnit.MINUTES).plusSeconds(59).plusNanos(999_999_000);
        double bucketSeconds = Duration.between(start, end).toNanos() / 1e9 / BUCKETS;
        ObjectNode filterBody = body.deepCopy();
        ((ObjectNode) filterBody.get("task_runs")).remove("state");
        Where where = runs.where(filterBody).add("task_run.state_type IN (" + Where.placeholders(StateType.TERMINAL.size()) + ")",
                StateType.TERMINAL.stream().map(StateType::name).toArray());
        long[] completed = new long[BUCKETS];
        long[] failed = new long[BUCKETS];
        db.read(c -> Rows.query(c, "SELECT task_run.state_type, task_run.start_time FROM task_run WHERE " + where.sql(), where.params(), rs -> {
            Instant at = dialect.readTimestamp(rs, "start_time");
            int bucket = at == null ? -1 : (int) Math.floor(Duration.between(start, at).toNanos() / 1e9 / bucketSeconds);
            if (bucket >= 0 && bucket < BUCKETS) {
                if (FAILED.contains(rs.getString("state_type"))) {
                    failed[bucket]++;
                } else {
                    completed[bucket]++;
                }
            }
            return null;
        }));
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            out.add(JsonNodeFactory.instance.objectNode().put("completed", completed[i]).put("failed", failed[i]));
        }
        return out;
    }

    /** upstream's {@code UITaskRun}: the task run with {@code flow_run_name}. */
    public ObjectNode withFlowRunName(UUID id) {
        return db.read(c -> {
            TaskRun run = ApiException.found(runs.read(c, id), "Task not found");
            ObjectNode json = run.toJson();
            String flowRunName = run.flowRunId() == null ? null
                    : Rows.queryOne(c, "SELECT name FROM flow_run WHERE id = ?", List.of(run.flowRunId().toString()), rs -> rs.getString("name"));
            json.put("flow_run_name", flowRunName);
            return json;
        });
    }
}
