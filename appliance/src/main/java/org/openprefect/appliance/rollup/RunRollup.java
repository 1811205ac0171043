package org.openprefect.appliance.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.SqlWork;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.orchestration.RunEstimates;
import org.openprefect.appliance.orchestration.RunHistory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts and history of runs answered from the rollup (r0009) where the filter allows: whole
 * minutes from {@code run_rollup} and its pending deltas, the parts of a minute at a window's edges
 * from the runs themselves, so the answer is exactly what counting the runs gives. Anything else
 * (other filters, a backlog of deltas right after the upgrade, too many edges) is left to the
 * caller's query over the runs: the methods return empty.
 */
public final class RunRollup {
    /** Pending deltas beyond which summing them costs more than reading the runs (right after r0009 copied every run). */
    static final long MAX_BACKLOG = 50_000;
    /** Parts of minutes a history may leave to the runs themselves (the dashboard's has about 20). */
    static final int MAX_EDGE_MINUTES = 64;

    private final SqlDialect dialect;
    private final String table;
    private final RunRollupRepository rollup;

    public RunRollup(SqlDialect dialect, String table) {
        this.dialect = dialect;
        this.table = table;
        this.rollup = new RunRollupRepository(dialect);
    }

    /** The count of {@code /count} and {@code /paginate}, or empty when the rollup cannot answer this body. */
    public OptionalLong count(Connection c, JsonNode body) throws SQLException {
        Optional<RollupFilter> found = RollupFilter.of(table, body);
        if (found.isEmpty() || rollup.backlog(c) > MAX_BACKLOG) {
            return OptionalLong.empty();
        }
        RollupFilter f = found.get();
        MinuteRange range = f.window();
        String minuteColumn = "start_time".equals(f.timeColumn()) ? "start_minute" : "expected_minute";
        Where whole = states(f, "");
        minutes(whole, minuteColumn, range);
        long runs = rollup.runs(c, table, whole);
        for (MinuteRange.Span edge : range.edges()) {
            Where part = states(f, table + ".");
            span(part, table + "." + f.timeColumn(), edge);
            runs += rollup.countRuns(c, table, part);
        }
        if (f.withoutSubflowParents()) {
            Where parents = states(f, table + ".");
            parents.add(table + ".id IN (" + FilterSql.SUBFLOW_PARENTS + ")");
            if (range.bounded()) {
                span(parents, table + "." + f.timeColumn(), new MinuteRange.Span(range.after(), range.exclusiveBefore()));
            }
            runs -= rollup.countRuns(c, table, parents);
        }
        return OptionalLong.of(runs);
    }

    /** {@link #history}, or what {@code fromRuns} computes from the runs when the rollup cannot answer this body. */
    public ArrayNode history(Connection c, JsonNode body, SqlWork<ArrayNode> fromRuns) throws SQLException {
        Optional<ArrayNode> fast = history(c, body);
        return fast.isPresent() ? fast.get() : fromRuns.run(c);
    }

    /**
     * {@code /history} with upstream's buckets and sums (see {@link RunHistory}), or empty when the
     * rollup cannot answer this body: the runs of a start-time window, bucketed by expected start.
     */
    private Optional<ArrayNode> history(Connection c, JsonNode body) throws SQLException {
        Optional<RollupFilter> found = RollupFilter.of(table, body);
        if (found.isEmpty() || found.get().withoutSubflowParents() || "expected_start_time".equals(found.get().timeColumn())
                || rollup.backlog(c) > MAX_BACKLOG) {
            return Optional.empty();
        }
        RollupFilter f = found.get();
        RunHistory.Intervals intervals = RunHistory.Intervals.of(body);
        if (intervals.count() == 0) {
            return Optional.of(intervals.out());
        }
        Instant now = Times.now();
        long nowMinute = MinuteRange.floorMinute(now);
        List<Instant> bounds = intervals.bounds();
        Instant first = bounds.get(0);
        Instant last = bounds.get(bounds.size() - 1);
        // Expected-start minutes the rollup answers: whole, inside one interval, and not the current
        // minute (its due runs are late or not depending on the second).
        MinuteRange expected = MinuteRange.of(first, last.minusNanos(1_000));
        TreeSet<Long> split = new TreeSet<>();
        for (Instant bound : bounds.subList(1, bounds.size() - 1)) {
            if (MinuteRange.ceilMinute(bound) != MinuteRange.floorMinute(bound)) {
                split.add(MinuteRange.floorMinute(bound));
            }
        }
        split.add(nowMinute);
        if (split.size() > MAX_EDGE_MINUTES) {
            return Optional.empty();
        }
        MinuteRange started = f.window();
        Map<Bucket, Sums> sums = new TreeMap<>();
        double nowSeconds = Times.seconds(RunRollupRepository.BASE, now);
        if (!expected.noWholeMinute() && started.wholeMinutes() != null) {
            Where whole = states(f, "");
            whole.add("state_type <> ''");
            minutes(whole, "start_minute", started);
            minutes(whole, "expected_minute", expected);
            if (!split.isEmpty()) {
                whole.add("expected_minute NOT IN (" + Where.placeholders(split.size()) + ")", split.toArray());
            }
            for (RunRollupRepository.MinuteSums m : rollup.byExpectedMinute(c, table, whole)) {
                int i = interval(bounds, MinuteRange.start(m.expectedMinute()));
                double due = m.expectedMinute() < nowMinute ? m.due() * nowSeconds - m.dueSince() : 0;
                String name = m.stateName().isEmpty() ? null : m.stateName();
                sums.computeIfAbsent(new Bucket(i, m.stateType(), name), b -> new Sums())
                        .add(m.runs(), m.runTime() + m.running() * nowSeconds - m.runningSince(), m.lateness() + due);
            }
        }
        for (Where part : edges(f, started, expected, split, first, last)) {
            for (RunRollupRepository.RunTimes run : rollup.runTimes(c, table, part)) {
                double runTime = Math.max(0, RunEstimates.runTime(run.totalRunTime(), run.stateType(), run.stateTimestamp(), now));
                double lateness = Math.max(0, RunEstimates.startDelta(run.expectedStart(), run.start(), run.stateType(), now));
                sums.computeIfAbsent(new Bucket(interval(bounds, run.expectedStart()), run.stateType(), run.stateName()), b -> new Sums())
                        .add(1, runTime, lateness);
            }
        }
        sums.forEach((b, s) -> intervals.add(b.interval(), b.stateType(), b.stateName(), s.runs, s.runTime, s.lateness));
        return Optional.of(intervals.out());
    }

    /**
     * The runs the rollup's rows leave out, as disjoint conditions on the runs: those started in the
     * edges of the start window, and those started in its whole minutes whose expected start falls in
     * a minute the rollup does not answer.
     */
    private List<Where> edges(RollupFilter f, MinuteRange started, MinuteRange expected, TreeSet<Long> split, Instant first, Instant last) {
        String startColumn = table + ".start_time";
        String expectedColumn = table + ".expected_start_time";
        List<Where> parts = new ArrayList<>();
        for (MinuteRange.Span edge : started.edges()) {
            Where part = historyRuns(f, expectedColumn, new MinuteRange.Span(first, last));
            span(part, startColumn, edge);
            parts.add(part);
        }
        MinuteRange.Span wholeStarts = started.wholeMinutes();
        if (wholeStarts == null) {
            return parts;
        }
        // Without a whole minute, the one edge is the whole of [first, last).
        List<MinuteRange.Span> expectedParts = new ArrayList<>(expected.edges());
        if (!expected.noWholeMinute()) {
            for (long minute : split) {
                if (minute >= expected.fromMinute() && minute < expected.toMinute()) {
                    expectedParts.add(new MinuteRange.Span(MinuteRange.start(minute), MinuteRange.start(minute + 1)));
                }
            }
        }
        for (MinuteRange.Span span : expectedParts) {
            Where part = historyRuns(f, expectedColumn, span);
            span(part, startColumn, wholeStarts);
            parts.add(part);
        }
        return parts;
    }

    private Where historyRuns(RollupFilter f, String expectedColumn, MinuteRange.Span expectedSpan) {
        Where part = states(f, table + ".");
        part.add(table + ".state_type IS NOT NULL");
        span(part, expectedColumn, expectedSpan);
        return part;
    }

    /** The interval of the bounds (ascending, the last exclusive) holding {@code t}. */
    private static int interval(List<Instant> bounds, Instant t) {
        int found = Collections.binarySearch(bounds, t);
        return found >= 0 ? found : -found - 2;
    }

    private static Where states(RollupFilter f, String prefix) {
        Where w = new Where();
        if (f.stateTypes() != null) {
            w.add(prefix + "state_type IN (" + Where.placeholders(f.stateTypes().size()) + ")", f.stateTypes().toArray());
        }
        if (f.stateNames() != null) {
            w.add(prefix + "state_name IN (" + Where.placeholders(f.stateNames().size()) + ")", f.stateNames().toArray());
        }
        return w;
    }

    private static void minutes(Where w, String column, MinuteRange range) {
        if (!range.bounded()) {
            return;
        }
        if (range.noWholeMinute()) {
            w.add("1=0");
            return;
        }
        w.add(column + " > ?", RunRollupRepository.NO_MINUTE);
        if (range.fromMinute() != null) {
            w.add(column + " >= ?", range.fromMinute());
        }
        if (range.toMinute() != null) {
            w.add(column + " < ?", range.toMinute());
        }
    }

    private void span(Where w, String column, MinuteRange.Span span) {
        if (span.from() != null) {
            w.add(column + " >= ?", timestamp(span.from()));
        }
        if (span.to() != null) {
            w.add(column + " < ?", timestamp(span.to()));
        }
    }

    private String timestamp(Instant t) {
        return dialect.timestamp(t);
    }

    private record Bucket(int interval, String stateType, String stateName) implements Comparable<Bucket> {
        @Override
        public int compareTo(Bucket o) {
            int byInterval = Integer.compare(interval, o.interval);
            if (byInterval != 0) {
                return byInterval;
            }
            int byType = stateType.compareTo(o.stateType);
            return byType != 0 ? byType : String.valueOf(stateName).compareTo(String.valueOf(o.stateName));
        }
    }

    private static final class Sums {
        long runs;
        double runTime;
        double lateness;

        void add(long runs, double runTime, double lateness) {
            this.runs += runs;
            this.runTime += runTime;
            this.lateness += lateness;
        }
    }
}
