package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * SQL of a states table ({@code flow_run_state} or {@code task_run_state}): states are read with
 * their result data from the linked artifact, and persisted result data is moved into an artifact
 * when written, as upstream does.
 */
public final class StateRows {
    private final SqlDialect dialect;
    private final String table;
    private final String runColumn;

    public StateRows(SqlDialect dialect, String table, String runColumn) {
        this.dialect = dialect;
        this.table = table;
        this.runColumn = runColumn;
    }

    private String select() {
        return "SELECT s.id, s.type, s.name, s.timestamp, s.message, s.state_details, artifact.data AS result_data FROM "
                + table + " s LEFT JOIN artifact ON artifact.id = s.result_artifact_id";
    }

    public State byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, select() + " WHERE s.id = ?", List.of(id.toString()), this::map);
    }

    public List<State> ofRun(Connection c, UUID runId) throws SQLException {
        return Rows.query(c, select() + " WHERE s." + runColumn + " = ? ORDER BY s.timestamp", List.of(runId.toString()), this::map);
    }

    public boolean timestampTaken(Connection c, UUID runId, Instant t) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM " + table + " WHERE " + runColumn + " = ? AND timestamp = ?",
                List.of(runId.toString(), dialect.timestamp(t))) > 0;
    }

    public void insert(Connection c, UUID runId, UUID flowRunIdForArtifact, UUID taskRunIdForArtifact, State state) throws SQLException {
        insert(c, runId, flowRunIdForArtifact, taskRunIdForArtifact, state, "");
    }

    /**
     * A state's columns but its run and result artifact, as {@link #insertAllIfAbsent} takes them
     * (the task-run recorder renders them before the transaction with {@link Rows#withJsonAsText}).
     */
    public List<Object> columnsWithoutResult(State state) {
        String at = dialect.timestamp(state.timestamp());
        return Arrays.asList(state.id().toString(), at, at, state.type().name(), at, state.name(), state.message(), state.details());
    }

    /**
     * Inserts states' columns, the i-th for the i-th run id, as one JDBC batch, each unless a state
     * with its id is stored (a re-sent event).
     */
    public void insertAllIfAbsent(Connection c, List<List<Object>> rendered, List<UUID> runIds) throws SQLException {
        List<List<Object>> rows = new ArrayList<>(rendered.size());
        for (int i = 0; i < rendered.size(); i++) {
            List<Object> row = new ArrayList<>(rendered.get(i));
            row.add(runIds.get(i).toString());
            row.add(null);
            rows.add(row);
        }
        if (!rows.isEmpty()) {
            Rows.updateEach(c, insertSql() + " ON CONFLICT (id) DO NOTHING", rows);
        }
    }

    private String insertSql() {
        return "INSERT INTO " + table + " (id, created, updated, type, timestamp, name, message, state_details, "
                + runColumn + ", result_artifact_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** Inserts the state unless one with its id is stored (a re-sent event); one statement when it carries no result to keep. */
    public void insertIfAbsent(Connection c, UUID runId, UUID flowRunIdForArtifact, UUID taskRunIdForArtifact, State state) throws SQLException {
        if (!state.hasPersistedData()) {
            insert(c, runId, flowRunIdForArtifact, taskRunIdForArtifact, state, " ON CONFLICT (id) DO NOTHING");
        } else if (Rows.count(c, "SELECT count(*) FROM " + table + " WHERE id = ?", List.of(state.id().toString())) == 0) {
            insert(c, runId, flowRunIdForArtifact, taskRunIdForArtifact, state);
        }
    }

    private void insert(Connection c, UUID runId, UUID flowRunIdForArtifact, UUID taskRunIdForArtifact, State state, String onConflict)
            throws SQLException {
        String artifactId = null;
        if (state.hasPersistedData()) {
            artifactId = Ids.v4().toString();
            JsonNode data = state.data();
            Rows.update(c, "INSERT INTO artifact (id, created, updated, key, type, data, description, flow_run_id, task_run_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Arrays.asList(artifactId, dialect.timestamp(state.timestamp()), dialect.timestamp(state.timestamp()),
                            nullableText(data, "artifact_key"), textOr(data, "artifact_type", "result"), data,
                            nullableText(data, "artifact_description"), Rows.text(flowRunIdForArtifact), Rows.text(taskRunIdForArtifact)));
        }
        List<Object> params = new ArrayList<>(columnsWithoutResult(state));
        params.add(runId.toString());
        params.add(artifactId);
        Rows.update(c, insertSql() + onConflict, params);
    }

    private static String nullableText(JsonNode data, String key) {
        return data.isObject() && data.hasNonNull(key) ? data.get(key).asText() : null;
    }

    private static String textOr(JsonNode data, String key, String fallback) {
        String v = nullableText(data, key);
        return v == null ? fallback : v;
    }

    private State map(ResultSet rs) throws SQLException {
        JsonNode details = Rows.json(rs, "state_details");
        return new State(Rows.uuid(rs, "id"), StateType.valueOf(rs.getString("type")), rs.getString("name"),
                dialect.readTimestamp(rs, "timestamp"), rs.getString("message"),
                rs.getString("result_data") == null ? NullNode.getInstance() : Rows.json(rs, "result_data"),
                State.normalizedDetails(details.isObject() ? (ObjectNode) details : null));
    }

    /** A state as the UI and API read it, from a prefixed set of joined columns; null when the run has none. */
    public State fromJoined(ResultSet rs, String prefix) throws SQLException {
        String id = rs.getString(prefix + "id");
        if (id == null) {
            return null;
        }
        JsonNode details = Rows.json(rs, prefix + "state_details");
        return new State(UUID.fromString(id), StateType.valueOf(rs.getString(prefix + "type")), rs.getString(prefix + "name"),
                dialect.readTimestamp(rs, prefix + "timestamp"), rs.getString(prefix + "message"),
                rs.getString(prefix + "data") == null ? NullNode.getInstance() : Rows.json(rs, prefix + "data"),
                State.normalizedDetails(details.isObject() ? (ObjectNode) details : null));
    }

    /** The columns {@link #fromJoined} reads, selected from alias {@code s} and its artifact {@code sa}. */
    public static String joinedColumns(String prefix) {
        return "s.id AS " + prefix + "id, s.type AS " + prefix + "type, s.name AS " + prefix + "name, s.timestamp AS " + prefix
                + "timestamp, s.message AS " + prefix + "message, s.state_details AS " + prefix + "state_details, sa.data AS " + prefix + "data";
    }
}
