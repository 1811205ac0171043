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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run history ({@code /flow_runs/history}, {@code /task_runs/history}): one bucket per interval,
 * runs counted in the bucket of their expected start time, by state type and name, with summed
 * estimated run time and lateness (negative durations count as 0).
 */
public final class RunHistory {
    static final int MAX_BUCKETS = 500;

    private final SqlDialect dialect;
    private final String table;

    public RunHistory(SqlDialect dialect, String table) {
        this.dialect = dialect;
        this.table = table;
    }

    private record Row(Instant expected, String type, String name, double runTime, double lateness) {
    }

    public ArrayNode history(Connection c, Where where, JsonNode body) throws SQLException {
        Instant start = Times.parse(body.get("history_start").asText());
        Instant end = Times.parse(body.get("history_end").asText());
        double interval = body.get("history_interval_seconds").asDouble();
        if (interval < 1) {
            throw new InvalidInputException("History interval must not be less than 1 second.");
        }
        long micros = (long) (interval * 1_000_000);
        long span = ChronoUnit.MICROS.between(start, end);
        int buckets = (int) Math.min(MAX_BUCKETS, Math.max(0, (span + micros - 1) / micros));
        List<Object> params = new ArrayList<>(where.params());
        params.add(dialect.timestamp(start));
        params.add(dialect.timestamp(end));
        Instant now = Times.now();
        List<Row> rows = Rows.query(c, "SELECT " + table + ".expected_start_time, " + table + ".state_type, " + table + ".state_name, "
                + table + ".start_time, " + table + ".state_timestamp, " + dialect.seconds(table + ".total_run_time") + " AS total_run_time_s FROM "
                + table + " WHERE " + where.sql() + " AND " + table + ".expected_start_time >= ? AND " + table + ".expected_start_time < ?",
                params, rs -> {
                    String type = rs.getString("state_type");
                    Instant expected = dialect.readTimestamp(rs, "expected_start_time");
                    return new Row(expected, type, rs.getString("state_name"),
                            Math.max(0, RunEstimates.runTime(rs.getDouble("total_run_time_s"), type, dialect.readTimestamp(rs, "state_timestamp"), now)),
                            Math.max(0, RunEstimates.startDelta(expected, dialect.readTimestamp(rs, "start_time"), type, now)));
                });
        List<Map<String, ObjectNode>> perBucket = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            perBucket.add(new LinkedHashMap<>());
        }
        for (Row r : rows) {
            int index = (int) (ChronoUnit.MICROS.between(start, r.expected()) / micros);
            if (index < 0 || index >= buckets || r.type() == null) {
                continue;
            }
            ObjectNode state = perBucket.get(index).computeIfAbsent(r.type() + "|" + r.name(), k -> {
                ObjectNode s = JsonNodeFactory.instance.objectNode();
                s.put("state_type", r.type()).put("state_name", r.name()).put("count_runs", 0)
                        .put("sum_estimated_run_time", 0.0).put("sum_estimated_lateness", 0.0);
                return s;
            });
            state.put("count_runs", state.get("count_runs").asInt() + 1);
            state.put("sum_estimated_run_time", state.get("sum_estimated_run_time").asDouble() + r.runTime());
            state.put("sum_estimated_lateness", state.get("sum_estimated_lateness").asDouble() + r.lateness());
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < buckets; i++) {
            Instant from = start.plusNanos(micros * 1000 * i);
            Instant to = i == buckets - 1 ? end : start.plusNanos(micros * 1000 * (i + 1));
            ObjectNode bucket = out.addObject();
            bucket.put("interval_start", Times.iso(from));
            bucket.put("interval_end", Times.iso(to.isAfter(end) ? end : to));
            bucket.putArray("states").addAll(perBucket.get(i).values());
        }
        return out;
    }

    /** Average lateness in seconds of the matching runs, or null when there are none. */
    public Double averageLateness(Connection c, Where where) throws SQLException {
        Instant now = Times.now();
        List<Double> lateness = Rows.query(c, "SELECT " + table + ".expected_start_time, " + table + ".start_time, " + table + ".state_type FROM "
                + table + " WHERE " + where.sql(), where.params(), rs -> RunEstimates.startDelta(dialect.readTimestamp(rs, "expected_start_time"),
                dialect.readTimestamp(rs, "start_time"), rs.getString("state_type"), now));
        return lateness.isEmpty() ? null : lateness.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
