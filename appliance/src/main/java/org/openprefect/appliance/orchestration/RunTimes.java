package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;

import java.time.Instant;

/**
 * The state and timing fields flow runs and task runs share on the wire (upstream's run
 * bookkeeping), with the two estimates upstream derives when it reads a run.
 */
public record RunTimes(String stateType, String stateName, int runCount, Instant expectedStartTime, Instant nextScheduledStartTime,
                       Instant startTime, Instant endTime, double totalRunTime, double estimatedRunTime,
                       double estimatedStartTimeDelta) {

    /** The stored columns, with the estimates as of {@code now}. */
    public static RunTimes of(String stateType, String stateName, Instant stateTimestamp, int runCount, Instant expectedStartTime,
                              Instant nextScheduledStartTime, Instant startTime, Instant endTime, double totalRunTime, Instant now) {
        return new RunTimes(stateType, stateName, runCount, expectedStartTime, nextScheduledStartTime, startTime, endTime, totalRunTime,
                RunEstimates.runTime(totalRunTime, stateType, stateTimestamp, now),
                RunEstimates.startDelta(expectedStartTime, startTime, stateType, now));
    }

    /** Adds the fields in upstream's order. */
    public void putInto(ObjectNode json) {
        json.put("state_type", stateType);
        json.put("state_name", stateName);
        json.put("run_count", runCount);
        json.put("expected_start_time", Times.iso(expectedStartTime));
        json.put("next_scheduled_start_time", Times.iso(nextScheduledStartTime));
        json.put("start_time", Times.iso(startTime));
        json.put("end_time", Times.iso(endTime));
        json.put("total_run_time", totalRunTime);
        json.put("estimated_run_time", estimatedRunTime);
        json.put("estimated_start_time_delta", estimatedStartTimeDelta);
    }
}
