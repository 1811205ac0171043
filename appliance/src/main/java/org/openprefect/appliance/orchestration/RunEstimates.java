package org.openprefect.appliance.orchestration;

import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.Set;

/** Read-time estimates upstream derives for flow and task runs. */
public final class RunEstimates {
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED", "CRASHED");

    private RunEstimates() {
    }

    /** total_run_time, plus the time spent so far in a current RUNNING state. */
    public static double runTime(double total, String stateType, Instant stateTimestamp, Instant now) {
        if ("RUNNING".equals(stateType) && stateTimestamp != null) {
            return total + Math.max(0, Times.seconds(stateTimestamp, now));
        }
        return total;
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
