package org.openprefect.appliance.rollup;

import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.orchestration.StateType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the rollup (r0009): folding the deltas the triggers record into {@code run_rollup},
 * summing both, and reading the runs at the edges of a window that the rollup's minutes do not cover.
 * A row's contribution (its minutes, state and the history's sums) is computed here once, for the
 * fold and for the not yet folded deltas a read adds.
 */
public final class RunRollupRepository {
    /** The epoch of the stored sums of times, so that they stay small numbers and keep their precision. */
    static final Instant BASE = Instant.parse("2020-01-01T00:00:00Z");
    /** The minute of a run without the time: far before any real one. */
    static final long NO_MINUTE = -(1L << 40);
    private static final String KEYS = "start_minute, expected_minute, state_type, state_name";
    private static final String SUMS = "runs, run_time, running, running_since, lateness, due, due_since";

    private final SqlDialect dialect;
    private final String contributions;

    public RunRollupRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.contributions = contributions(dialect);
    }

    /**
     * What one delta row (alias d) adds, in run_rollup's columns: its key, one run, and the parts of
     * the estimates that do not depend on the time of the read (a running run's time since its state,
     * a due run's lateness are the count times now minus the summed start, taken at read time).
     */
    private static String contributions(SqlDialect dialect) {
        String base = dialect.timestampLiteral(BASE);
        String total = "COALESCE(" + dialect.seconds("d.total_run_time") + ", 0)";
        String running = "d.state_type = 'RUNNING' AND d.state_timestamp IS NOT NULL";
        String due = "d.expected_start_time IS NOT NULL AND d.start_time IS NULL AND (d.state_type IS NULL OR d.state_type NOT IN ("
                + StateType.TERMINAL_SQL + "))";
        return "COALESCE(" + dialect.epochMinute("d.start_time") + ", " + NO_MINUTE + ") AS start_minute, "
                + "COALESCE(" + dialect.epochMinute("d.expected_start_time") + ", " + NO_MINUTE + ") AS expected_minute, "
                + "COALESCE(d.state_type, '') AS state_type, COALESCE(d.state_name, '') AS state_name, "
                + "d.sign AS runs, "
                + "d.sign * (CASE WHEN " + running + " THEN " + total + " ELSE " + dialect.greatest("0", total) + " END) AS run_time, "
                + "d.sign * (CASE WHEN " + running + " THEN 1 ELSE 0 END) AS running, "
                + "d.sign * (CASE WHEN " + running + " THEN " + dialect.secondsBetween(base, "d.state_timestamp") + " ELSE 0 END) AS running_since, "
                + "d.sign * (CASE WHEN d.expected_start_time IS NOT NULL AND d.start_time IS NOT NULL THEN "
                + dialect.greatest("0", dialect.secondsBetween("d.expected_start_time", "d.start_time")) + " ELSE 0 END) AS lateness, "
                + "d.sign * (CASE WHEN " + due + " THEN 1 ELSE 0 END) AS due, "
                + "d.sign * (CASE WHEN " + due + " THEN " + dialect.secondsBetween(base, "d.expected_start_time") + " ELSE 0 END) AS due_since";
    }

    /** How many deltas wait to be folded (an upper bound: ids may have gaps). */
    public long backlog(Connection c) throws SQLException {
        return Rows.count(c, "SELECT COALESCE(max(id) - min(id) + 1, 0) FROM run_rollup_delta", List.of());
    }

    /**
     * Folds up to {@code limit} of the oldest deltas into the rollup and drops the rows of minutes
     * that no run is left in; returns how many deltas were folded. PostgreSQL moves them in one
     * statement (one snapshot: a delta committed meanwhile is neither folded nor deleted); SQLite's
     * single writer makes its two statements just as safe.
     */
    public int fold(Connection c, int limit) throws SQLException {
        Long upTo = Rows.queryOne(c, "SELECT max(id) AS up_to FROM (SELECT id FROM run_rollup_delta ORDER BY id LIMIT ?) AS oldest", List.of(limit),
                rs -> {
                    long id = rs.getLong("up_to");
                    return rs.wasNull() ? null : id;
                });
        if (upTo == null) {
            return 0;
        }
        String upsert = "INSERT INTO run_rollup (kind, " + KEYS + ", " + SUMS + ") "
                + "SELECT kind, " + KEYS + ", sum(runs), sum(run_time), sum(running), sum(running_since), sum(lateness), sum(due), sum(due_since) "
                + "FROM (SELECT d.kind, " + contributions + " FROM {source} AS d) AS x WHERE true GROUP BY kind, " + KEYS + " "
                + "ON CONFLICT (kind, " + KEYS + ") DO UPDATE SET runs = run_rollup.runs + excluded.runs, "
                + "run_time = run_rollup.run_time + excluded.run_time, running = run_rollup.running + excluded.running, "
                + "running_since = run_rollup.running_since + excluded.running_since, lateness = run_rollup.lateness + excluded.lateness, "
                + "due = run_rollup.due + excluded.due, due_since = run_rollup.due_since + excluded.due_since";
        int folded;
        if (dialect == SqlDialect.POSTGRESQL) {
            folded = Rows.queryOne(c, "WITH moved AS (DELETE FROM run_rollup_delta WHERE id <= ? RETURNING *), "
                    + "folded AS (" + upsert.replace("{source}", "moved") + " RETURNING 1) SELECT (SELECT count(*) FROM moved) AS n", List.of(upTo),
                    rs -> rs.getInt("n"));
        } else {
            Rows.update(c, upsert.replace("{source}", "(SELECT * FROM run_rollup_delta WHERE id <= " + upTo + ")"), List.of());
            folded = Rows.update(c, "DELETE FROM run_rollup_delta WHERE id <= ?", List.of(upTo));
        }
        Rows.update(c, "DELETE FROM run_rollup WHERE runs = 0", List.of());
        return folded;
    }

    /**
     * After a large fold (the one after the upgrade to r0009): PostgreSQL's tables then hold millions
     * of dead rows that every read of the deltas would scan (0.1 s per count) until autovacuum gets to
     * them. SQLite reuses its freed pages by itself. Needs a connection outside a transaction.
     */
    public void vacuum(Connection c) throws SQLException {
        if (dialect == SqlDialect.POSTGRESQL) {
            Rows.update(c, "VACUUM (ANALYZE) run_rollup_delta, run_rollup", List.of());
        }
    }

    /** The runs of {@code table} in the rollup's rows matching {@code where} (over its columns), folded or not. */
    public long runs(Connection c, String table, Where where) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COALESCE(sum(runs), 0) FROM " + rollupRows(table, where, params) + " AS r";
        return Rows.count(c, sql, params);
    }

    /** One minute of expected start and state, with the rollup's sums over the matching rows. */
    public record MinuteSums(long expectedMinute, String stateType, String stateName, long runs, double runTime, long running,
                             double runningSince, double lateness, long due, double dueSince) {
    }

    /** The matching rows summed by minute of expected start, state type and name. */
    public List<MinuteSums> byExpectedMinute(Connection c, String table, Where where) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT expected_minute, state_type, state_name, sum(runs) AS runs, sum(run_time) AS run_time, sum(running) AS running, "
                + "sum(running_since) AS running_since, sum(lateness) AS lateness, sum(due) AS due, sum(due_since) AS due_since FROM "
                + rollupRows(table, where, params) + " AS r GROUP BY expected_minute, state_type, state_name";
        return Rows.query(c, sql, params, rs -> new MinuteSums(rs.getLong("expected_minute"), rs.getString("state_type"),
                rs.getString("state_name"), rs.getLong("runs"), rs.getDouble("run_time"), rs.getLong("running"), rs.getDouble("running_since"),
                rs.getDouble("lateness"), rs.getLong("due"), rs.getDouble("due_since")));
    }

    /** The folded rows and the pending deltas of a table, both as rollup rows, in one statement (one snapshot). */
    private String rollupRows(String table, Where where, List<Object> params) {
        params.add(table);
        params.addAll(where.params());
        params.add(table);
        params.addAll(where.params());
        return "(SELECT " + KEYS + ", " + SUMS + " FROM run_rollup WHERE kind = ? AND " + where.sql()
                + " UNION ALL SELECT * FROM (SELECT " + contributions + " FROM run_rollup_delta AS d WHERE d.kind = ?) AS pending WHERE "
                + where.sql() + ")";
    }

    /** The runs themselves matching {@code where} (over the table's columns). */
    public long countRuns(Connection c, String table, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM " + table + " WHERE " + where.sql(), where.params());
    }

    /** A run as the history estimates it. */
    public record RunTimes(Instant expectedStart, Instant start, String stateType, String stateName, Instant stateTimestamp, double totalRunTime) {
    }

    /** The runs themselves matching {@code where}, with what the history needs of each. */
    public List<RunTimes> runTimes(Connection c, String table, Where where) throws SQLException {
        String sql = "SELECT " + table + ".expected_start_time, " + table + ".start_time, " + table + ".state_type, " + table + ".state_name, "
                + table + ".state_timestamp, " + dialect.seconds(table + ".total_run_time") + " AS total FROM " + table + " WHERE " + where.sql();
        return Rows.query(c, sql, where.params(), rs -> new RunTimes(dialect.readTimestamp(rs, "expected_start_time"),
                dialect.readTimestamp(rs, "start_time"), rs.getString("state_type"), rs.getString("state_name"),
                dialect.readTimestamp(rs, "state_timestamp"), rs.getDouble("total")));
    }
}
