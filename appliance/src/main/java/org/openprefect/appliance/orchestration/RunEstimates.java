package org.openprefect.appliance.orchestration;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.SqlDialect;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/** Read-time estimates upstream derives for flow and task runs. */
public final class RunEstimates {
    private static final Set<String> TERMINAL = StateType.TERMINAL.stream().map(StateType::name).collect(Collectors.toSet());

    private RunEstimates() {
    }

    /** total_run_time, plus the time spent so far in a current RUNNING state. */
    public static double runTime(double total, String stateType, Instant stateTimestamp, Instant now) {
        if ("RUNNING".equals(stateType) && stateTimestamp != null) {
            return total + Math.max(0, Times.seconds(stateTimestamp, now));
        }
        return total;
    }

    /** {@link #runTime} as SQL over the columns of a run table, at least 0, for aggregating in the database. */
    static String runTimeSql(SqlDialect dialect, String table, Instant now) {
        String sinceState = dialect.greatest("0", dialect.secondsBetween(table + ".state_timestamp", dialect.timestampLiteral(now)));
        return dialect.greatest("0", dialect.seconds(table + ".total_run_time") + " + CASE WHEN " + table + ".state_type = 'RUNNING' AND " + table
                + ".state_timestamp IS NOT NULL THEN " + sinceState + " ELSE 0 END");
    }

    /** {@link #startDelta} as SQL over the columns of a run table. */
    static String startDeltaSql(SqlDialect dialect, String table, Instant now) {
        String expected = table + ".expected_start_time";
        String nowLiteral = dialect.timestampLiteral(now);
        return "CASE WHEN " + expected + " IS NULL THEN 0.0"
                + " WHEN " + table + ".start_time IS NOT NULL THEN " + dialect.greatest("0", dialect.secondsBetween(expected, table + ".start_time"))
                + " WHEN (" + table + ".state_type IS NULL OR " + table + ".state_type NOT IN (" + StateType.TERMINAL_SQL + ")) AND "
                + expected + " < " + nowLiteral + " THEN " + dialect.secondsBetween(expected, nowLiteral) + " ELSE 0.0 END";
    }

    /** Lateness: start − expected, or now − expected for a run not started, not terminal and already due. */
    public static double startDelta(Instant expected, Instant start, String stateType, Instant now) {
        if (expected == null) {
            return 0.0;
        }
        if (start != null) {
            return Math.max(0, Times.seconds(expected, start));
        }
        if (!TERMINAL.contains(String.valueOf(stateType)) && expected.isBefore(now)) {
            return Times.seconds(expected, now);
        }
        return 0.0;
    }
}
