package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The UI's views of flow runs (upstream's {@code /ui/flow_runs/*} and {@code /ui/flows/next-runs}):
 * the scatter plot's runs, task-run counts per run, each flow's next scheduled run.
 */
public final class FlowRunViews {
    private final Database db;
    private final SqlDialect dialect;
    private final FlowRunRepository runs;

    public FlowRunViews(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.runs = new FlowRunRepository(db.dialect());
    }

    /** upstream's {@code SimpleFlowRun}s: id, state type, start (or expected start), estimated run time and lateness in seconds. */
    public List<ObjectNode> history(JsonNode body, String sort, int limit, int offset) {
        Where where = runs.where(body);
        List<FlowRun> found = db.read(c -> runs.filter(c, where, sort, limit, offset));
        List<ObjectNode> out = new ArrayList<>();
        for (FlowRun run : found) {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("id", run.id().toString());
            json.put("state_type", run.times().stateType());
            json.put("timestamp", Times.iso(run.times().startTime() != null ? run.times().startTime() : run.times().expectedStartTime()));
            json.put("duration", run.times().estimatedRunTime());
            json.put("lateness", run.times().estimatedStartTimeDelta());
            out.add(json);
        }
        return out;
    }

    /** Task runs per flow run (subflow runs' parent tasks not counted), 0 for a run without any, in the order asked. */
    public ObjectNode countTaskRuns(List<UUID> flowRunIds) {
        Map<UUID, Long> counts = new HashMap<>();
        if (!flowRunIds.isEmpty()) {
            db.read(c -> {
                Rows.query(c, "SELECT task_run.flow_run_id, count(*) AS n FROM task_run WHERE task_run.flow_run_id IN ("
                        + Where.placeholders(flowRunIds.size()) + ") AND task_run.id NOT IN (" + FilterSql.SUBFLOW_PARENTS
                        + ") GROUP BY task_run.flow_run_id",
                        flowRunIds.stream().map(UUID::toString).toList(), rs -> counts.put(Rows.uuid(rs, "flow_run_id"), rs.getLong("n")));
                return null;
            });
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        flowRunIds.forEach(id -> out.put(id.toString(), counts.getOrDefault(id, 0L)));
        return out;
    }

    /** Each flow's Scheduled run with the soonest next scheduled start, or null, in the order asked. */
    public ObjectNode nextRuns(List<UUID> flowIds) {
        Map<UUID, ObjectNode> next = new HashMap<>();
        if (!flowIds.isEmpty()) {
            db.read(c -> nextRuns(c, flowIds, next));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        flowIds.forEach(id -> out.set(id.toString(), next.get(id)));
        return out;
    }

    private Void nextRuns(Connection c, List<UUID> flowIds, Map<UUID, ObjectNode> next) throws SQLException {
        Rows.query(c, "WITH min_times AS (SELECT flow_id, MIN(next_scheduled_start_time) AS soonest FROM flow_run "
                        + "WHERE flow_id IN (" + Where.placeholders(flowIds.size()) + ") AND state_type = 'SCHEDULED' GROUP BY flow_id) "
                        + "SELECT fr.id, fr.name, fr.flow_id, fr.state_name, fr.state_type, fr.next_scheduled_start_time FROM flow_run fr "
                        + "JOIN min_times mt ON fr.flow_id = mt.flow_id AND fr.next_scheduled_start_time = mt.soonest "
                        + "WHERE fr.state_type = 'SCHEDULED' ORDER BY fr.id",
                flowIds.stream().map(UUID::toString).toList(), rs -> {
                    ObjectNode run = JsonNodeFactory.instance.objectNode();
                    run.put("id", rs.getString("id"));
                    run.put("flow_id", rs.getString("flow_id"));
                    run.put("name", rs.getString("name"));
                    run.put("state_name", rs.getString("state_name"));
                    run.put("state_type", rs.getString("state_type"));
                    run.put("next_scheduled_start_time", Times.iso(dialect.readTimestamp(rs, "next_scheduled_start_time")));
                    return next.put(Rows.uuid(rs, "flow_id"), run);
                });
        return null;
    }
}
