package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** All SQL of logs. */
public final class LogRepository {
    private final SqlDialect dialect;
    private final FilterSql filters;

    public LogRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
    }

    /** Inserts a batch in one statement execution per row, all in the caller's transaction. */
    public void insertAll(Connection c, JsonNode logs) throws SQLException {
        Instant now = Times.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log (id, created, updated, name, level, flow_run_id, task_run_id, "
                + "message, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (JsonNode log : logs) {
                Rows.bind(ps, Arrays.asList(Ids.v7(now).toString(), dialect.timestamp(now), dialect.timestamp(now),
                        log.get("name").asText(), log.get("level").asInt(), text(log, "flow_run_id"), text(log, "task_run_id"),
                        log.get("message").asText(), dialect.timestamp(Times.parse(log.get("timestamp").asText()))));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<ObjectNode> filter(Connection c, JsonNode logFilter, String sort, int limit, int offset) throws SQLException {
        Where where = filters.logs(logFilter);
        String order = "TIMESTAMP_DESC".equals(sort) ? "log.timestamp DESC, log.id DESC" : "log.timestamp ASC, log.id ASC";
        return Rows.page(c, "SELECT * FROM log", where, order, limit, offset, this::map);
    }

    private ObjectNode map(ResultSet rs) throws SQLException {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("id", rs.getString("id"));
        j.put("created", Times.iso(dialect.readTimestamp(rs, "created")));
        j.put("updated", Times.iso(dialect.readTimestamp(rs, "updated")));
        j.put("name", rs.getString("name"));
        j.put("level", rs.getInt("level"));
        j.put("message", rs.getString("message"));
        j.put("timestamp", Times.iso(dialect.readTimestamp(rs, "timestamp")));
        j.put("flow_run_id", rs.getString("flow_run_id"));
        j.put("task_run_id", rs.getString("task_run_id"));
        return j;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
