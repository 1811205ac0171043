package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
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
                + table + " WHERE id = ?" + dialect.forUpdate(), List.of(runId.toString()), this::record);
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
