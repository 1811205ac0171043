package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** What the flow-run and task-run tables share as {@link RunStore}s: locking a run, its states, its bookkeeping columns. */
public abstract class RunTable implements RunStore {
    protected final SqlDialect dialect;
    protected final StateRows states;
    private final String table;

    protected RunTable(SqlDialect dialect, String table, String statesTable, String runColumn) {
        this.dialect = dialect;
        this.table = table;
        this.states = new StateRows(dialect, statesTable, runColumn);
    }

    public StateRows states() {
        return states;
    }

    /** Maps a row of the run table (with {@code total_run_time_s}) to a record. */
    protected abstract RunRecord record(ResultSet rs) throws SQLException;

    @Override
    public RunRecord loadForUpdate(Connection c, UUID runId) throws SQLException {
        return Rows.queryOne(c, "SELECT " + table + ".*, " + dialect.seconds(table + ".total_run_time") + " AS total_run_time_s FROM "
                + table + " WHERE id = ?" + dialect.forUpdate(), List.of(runId.toString()), rs -> {
            RunRecord run = record(rs);
            run.stored = comparable(savedColumns(run));
            return run;
        });
    }

    /**
     * Writes the run's columns that changed since it was read, and {@code updated}. SQLite rewrites
     * the entries of every index on a column the SET list names, changed or not, and flow_run has 24
     * indexes: naming all twelve columns, Running rewrote end_time's index and Completed start_time's
     * (docs/performance.md, "Sixth pass").
     */
    @Override
    public void saveRun(Connection c, RunRecord run) throws SQLException {
        Map<String, Object> columns = savedColumns(run);
        Map<String, Object> now = comparable(columns);
        List<String> assignments = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        columns.forEach((column, value) -> {
            if (run.stored == null || !Objects.equals(run.stored.get(column), now.get(column))) {
                assignments.add(column + " = ?");
                params.add(value);
            }
        });
        assignments.add("updated = ?");
        params.add(dialect.timestamp(Times.now()));
        params.add(run.id.toString());
        Rows.update(c, "UPDATE " + table + " SET " + String.join(", ", assignments) + " WHERE id = ?", params);
        run.stored = now;
    }

    /** The columns {@link #saveRun} keeps, as parameters: the state and timing ones both tables have; a table adds its own. */
    protected Map<String, Object> savedColumns(RunRecord run) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("state_id", Rows.text(run.stateId));
        columns.put("state_type", run.stateType == null ? null : run.stateType.name());
        columns.put("state_name", run.stateName);
        columns.put("state_timestamp", dialect.timestamp(run.stateTimestamp));
        columns.put("run_count", run.runCount);
        columns.put("expected_start_time", dialect.timestamp(run.expectedStartTime));
        columns.put("next_scheduled_start_time", dialect.timestamp(run.nextScheduledStartTime));
        columns.put("start_time", dialect.timestamp(run.startTime));
        columns.put("end_time", dialect.timestamp(run.endTime));
        columns.put("total_run_time", dialect.interval(run.totalRunTime));
        return columns;
    }

    /** Parameters as values to compare: a JSON column as its text, since the record's tree is changed in place. */
    private static Map<String, Object> comparable(Map<String, Object> columns) {
        Map<String, Object> values = new LinkedHashMap<>();
        columns.forEach((column, value) -> values.put(column, value instanceof JsonNode json ? Json.compact(json) : value));
        return values;
    }

    @Override
    public State readState(Connection c, UUID stateId) throws SQLException {
        return states.byId(c, stateId);
    }

    @Override
    public boolean stateTimestampTaken(Connection c, UUID runId, Instant timestamp) throws SQLException {
        return states.timestampTaken(c, runId, timestamp);
    }

    /** The state and timing fields of a run's row (with {@code total_run_time_s}), the estimates as of {@code now}. */
    protected RunTimes times(ResultSet rs, Instant now) throws SQLException {
        return RunTimes.of(rs.getString("state_type"), rs.getString("state_name"), dialect.readTimestamp(rs, "state_timestamp"),
                rs.getInt("run_count"), dialect.readTimestamp(rs, "expected_start_time"),
                dialect.readTimestamp(rs, "next_scheduled_start_time"), dialect.readTimestamp(rs, "start_time"),
                dialect.readTimestamp(rs, "end_time"), rs.getDouble("total_run_time_s"), now);
    }

    /** A JSON object column: the stored object, or an empty one for SQL null. */
    protected static ObjectNode objectOrEmpty(ResultSet rs, String column) throws SQLException {
        JsonNode node = Rows.json(rs, column);
        return node.isObject() ? (ObjectNode) node : JsonNodeFactory.instance.objectNode();
    }

    protected static List<String> texts(ResultSet rs, String column) throws SQLException {
        return Json.texts(Rows.json(rs, column));
    }

    /** The columns both run tables have, read into {@code r}. */
    protected RunRecord readBookkeeping(ResultSet rs, RunRecord r) throws SQLException {
        r.id = Rows.uuid(rs, "id");
        JsonNode policy = Rows.json(rs, "empirical_policy");
        r.empiricalPolicy = policy.isObject() ? (ObjectNode) policy : JsonNodeFactory.instance.objectNode();
        r.stateId = Rows.uuid(rs, "state_id");
        r.stateType = rs.getString("state_type") == null ? null : StateType.valueOf(rs.getString("state_type"));
        r.stateName = rs.getString("state_name");
        r.stateTimestamp = dialect.readTimestamp(rs, "state_timestamp");
        r.runCount = rs.getInt("run_count");
        r.expectedStartTime = dialect.readTimestamp(rs, "expected_start_time");
        r.nextScheduledStartTime = dialect.readTimestamp(rs, "next_scheduled_start_time");
        r.startTime = dialect.readTimestamp(rs, "start_time");
        r.endTime = dialect.readTimestamp(rs, "end_time");
        r.totalRunTime = rs.getDouble("total_run_time_s");
        return r;
    }
}
