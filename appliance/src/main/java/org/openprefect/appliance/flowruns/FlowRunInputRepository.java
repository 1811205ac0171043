package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** All SQL of flow run inputs: what paused flows wait for and what senders send them. */
public final class FlowRunInputRepository {
    private final SqlDialect dialect;

    public FlowRunInputRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** False when the key is taken for this run. */
    public boolean insert(Connection c, UUID runId, String key, String value, String sender) throws SQLException {
        if (value(c, runId, key) != null) {
            return false;
        }
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO flow_run_input (id, created, updated, flow_run_id, key, value, sender) VALUES (?, ?, ?, ?, ?, ?, ?)",
                Arrays.asList(Ids.v4().toString(), dialect.timestamp(now), dialect.timestamp(now), runId.toString(), key, value, sender));
        return true;
    }

    public String value(Connection c, UUID runId, String key) throws SQLException {
        return Rows.queryOne(c, "SELECT value FROM flow_run_input WHERE flow_run_id = ? AND key = ?", List.of(runId.toString(), key),
                rs -> rs.getString("value"));
    }

    public List<ObjectNode> filter(Connection c, UUID runId, String prefix, int limit, List<String> excludeKeys) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(runId.toString(), prefix));
        String exclude = "";
        if (!excludeKeys.isEmpty()) {
            exclude = " AND key NOT IN (" + Where.placeholders(excludeKeys.size()) + ")";
            params.addAll(excludeKeys);
        }
        params.add(limit);
        return Rows.query(c, "SELECT * FROM flow_run_input WHERE flow_run_id = ? AND key LIKE ? || '%'" + exclude
                + " ORDER BY created, key LIMIT ?", params, this::map);
    }

    public boolean delete(Connection c, UUID runId, String key) throws SQLException {
        return Rows.update(c, "DELETE FROM flow_run_input WHERE flow_run_id = ? AND key = ?", List.of(runId.toString(), key)) > 0;
    }

    private ObjectNode map(ResultSet rs) throws SQLException {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("id", rs.getString("id"));
        j.put("created", Times.iso(dialect.readTimestamp(rs, "created")));
        j.put("updated", Times.iso(dialect.readTimestamp(rs, "updated")));
        j.put("flow_run_id", rs.getString("flow_run_id"));
        j.put("key", rs.getString("key"));
        j.put("value", rs.getString("value"));
        j.put("sender", rs.getString("sender"));
        return j;
    }
}
