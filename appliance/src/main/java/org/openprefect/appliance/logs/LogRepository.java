package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
    public void insertAll(Connection c, List<LogCreate> logs) throws SQLException {
        Instant now = Times.now();
        List<List<Object>> rows = new ArrayList<>(logs.size());
        for (LogCreate log : logs) {
            rows.add(Arrays.asList(Ids.v7(now).toString(), dialect.timestamp(now), dialect.timestamp(now), log.name(), log.level(),
                    Rows.text(log.flowRunId()), Rows.text(log.taskRunId()), log.message(), dialect.timestamp(log.timestamp())));
        }
        Rows.updateEach(c, "INSERT INTO log (id, created, updated, name, level, flow_run_id, task_run_id, message, timestamp) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    public List<Log> filter(Connection c, JsonNode logFilter, String sort, int limit, int offset) throws SQLException {
        Where where = filters.logs(logFilter);
        String order = "TIMESTAMP_DESC".equals(sort) ? "log.timestamp DESC, log.id DESC" : "log.timestamp ASC, log.id ASC";
        return Rows.page(c, "SELECT * FROM log", where, order, limit, offset, this::log);
    }

    private Log log(ResultSet rs) throws SQLException {
        return new Log(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getInt("level"), rs.getString("message"), dialect.readTimestamp(rs, "timestamp"),
                Rows.uuid(rs, "flow_run_id"), Rows.uuid(rs, "task_run_id"));
    }
}
