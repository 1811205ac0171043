package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.InvalidInputException;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Run history ({@code /flow_runs/history}, {@code /task_runs/history}): one bucket per interval
 * (at most 500), runs counted in the bucket of their expected start time, by state type and name,
 * with summed estimated run time and lateness (negative durations count as 0), all aggregated in
 * the database so a week of a million runs never travels to Java.
 */
public final class RunHistory {
    static final int MAX_BUCKETS = 500;

    private final SqlDialect dialect;
    private final String table;

    public RunHistory(SqlDialect dialect, String table) {
        this.dialect = dialect;
        this.table = table;
    }

    public ArrayNode history(Connection c, Where where, JsonNode body) throws SQLException {
        return history(c, where, body, true);
    }

    /**
     * The same buckets with the counts only (both sums 0): what a chart of runs by state needs,
     * without the two estimates computed for every run of the window (several times cheaper at a million runs).
     */
    public ArrayNode counts(Connection c, Where where, JsonNode body) throws SQLException {
        return history(c, where, body, false);
    }

    /**
     * The intervals of a history request and its answer with their (not yet filled) state lists:
     * at most {@link #MAX_BUCKETS}, the last running its full length past history_end as upstream's.
     */
    public record Intervals(List<Instant> bounds, long micros, ArrayNode out, List<ArrayNode> states) {
        public static Intervals of(JsonNode body) {
            Instant start = Times.parse(body.get("history_start").asText());
            Instant end = Times.parse(body.get("history_end").asText());
            double interval = body.get("history_interval_seconds").asDouble();
            if (interval < 1) {
                throw new InvalidInputException("History interval must not be less than 1 second.");
            }
            long micros = (long) (interval * 1_000_000);
            long span = ChronoUnit.MICROS.between(start, end);
            int buckets = (int) Math.min(MAX_BUCKETS, Math.max(0, (span + micros - 1) / micros));
            List<Instant> bounds = new ArrayList<>();
            for (int i = 0; i <= buckets; i++) {
                bounds.add(start.plusNanos(micros * 1000 * i));
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            List<ArrayNode> states = new ArrayList<>();
            for (int i = 0; i < buckets; i++) {
                ObjectNode bucket = out.addObject();
                bucket.put("interval_start", Times.iso(bounds.get(i)));
                bucket.put("interval_end", Times.iso(bounds.get(i + 1)));
                states.add(bucket.putArray("states"));
            }
            return new Intervals(List.copyOf(bounds), micros, out, states);
        }

        public int count() {
            return states.size();
        }

        /** One state of interval {@code i}, in upstream's shape. */
        public void add(int i, String stateType, String stateName, long runs, double runTime, double lateness) {
            states.get(i).addObject()
                    .put("state_type", stateType)
                    .put("state_name", stateName)
                    .put("count_runs", runs)
                    .put("sum_estimated_run_time", runTime)
                    .put("sum_estimated_lateness", lateness);
        }
    }

    private ArrayNode history(Connection c, Where where, JsonNode body, boolean estimates) throws SQLException {
        Intervals intervals = Intervals.of(body);
        List<Instant> bounds = intervals.bounds();
        if (intervals.count() == 0) {
            return intervals.out();
        }
        Instant now = Times.now();
        List<Object> params = new ArrayList<>();
        String bucketed = dialect == SqlDialect.POSTGRESQL ? bucketsByArithmetic(bounds, intervals.micros(), params) : bucketsByJoin(bounds, params);
        params.addAll(where.params());
        String sums = estimates ? "sum(" + RunEstimates.runTimeSql(dialect, table, now) + ") AS run_time, "
                + "sum(" + dialect.greatest("0", RunEstimates.startDeltaSql(dialect, table, now)) + ") AS lateness " : "0 AS run_time, 0 AS lateness ";
        String sql = "SELECT i, " + table + ".state_type, " + table + ".state_name, count(*) AS count_runs, " + sums
                + bucketed + " AND " + table + ".state_type IS NOT NULL AND " + where.sql() + " "
                + "GROUP BY i, " + table + ".state_type, " + table + ".state_name "
                + "ORDER BY i, " + table + ".state_type, " + table + ".state_name";
        Rows.query(c, sql, params, rs -> {
            intervals.add(rs.getInt("i"), rs.getString("state_type"), rs.getString("state_name"), rs.getInt("count_runs"),
                    rs.getDouble("run_time"), rs.getDouble("lateness"));
            return null;
        });
        return intervals.out();
    }

    /**
     * SQLite: upstream's shape, the intervals joined to the runs on expected_start_time; each interval
     * is a range of the index on it (SQLite's date arithmetic keeps milliseconds only, so the interval
     * of a run is found by comparing timestamps, never by dividing).
     */
    private String bucketsByJoin(List<Instant> bounds, List<Object> params) {
        StringBuilder intervals = new StringBuilder();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            intervals.append(i == 0 ? "" : ", ").append("(").append(i).append(", ?, ?)");
            params.add(dialect.timestamp(bounds.get(i)));
            params.add(dialect.timestamp(bounds.get(i + 1)));
        }
        return "FROM (SELECT column1 AS i, column2 AS interval_start, column3 AS interval_end FROM (VALUES " + intervals + ")) AS intervals JOIN "
                + table + " ON "
                + table + ".expected_start_time >= intervals.interval_start AND " + table + ".expected_start_time < intervals.interval_end WHERE 1=1";
    }

    /**
     * PostgreSQL: the interval of a run computed from its expected start (exact from PostgreSQL 14 on,
     * where EXTRACT gives numeric microseconds), one range scan and a hash aggregate; joined to the
     * intervals instead, its planner tested every run against every interval (1.7 s at a million runs).
     */
    private String bucketsByArithmetic(List<Instant> bounds, long micros, List<Object> params) {
        params.add(dialect.timestamp(bounds.get(0)));
        params.add(micros);
        params.add(dialect.timestamp(bounds.get(0)));
        params.add(dialect.timestamp(bounds.get(bounds.size() - 1)));
        return "FROM (SELECT floor(EXTRACT(EPOCH FROM (" + table + ".expected_start_time - CAST(? AS timestamptz))) * 1000000 / CAST(? AS bigint))::int AS i, "
                + table + ".* FROM " + table + ") AS " + table + " WHERE " + table + ".expected_start_time >= CAST(? AS timestamptz) AND "
                + table + ".expected_start_time < CAST(? AS timestamptz)";
    }

    /** Average lateness in seconds of the matching runs, or null when there are none. */
    public Double averageLateness(Connection c, Where where) throws SQLException {
        String sql = "SELECT avg(" + RunEstimates.startDeltaSql(dialect, table, Times.now()) + ") AS lateness FROM " + table + " WHERE " + where.sql();
        List<Double> average = Rows.query(c, sql, where.params(), rs -> {
            double value = rs.getDouble("lateness");
            return rs.wasNull() ? null : value;
        });
        return average.isEmpty() ? null : average.get(0);
    }
}
