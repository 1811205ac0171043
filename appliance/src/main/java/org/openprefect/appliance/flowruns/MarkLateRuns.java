package org.openprefect.appliance.flowruns;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.util.List;

/**
 * Upstream's MarkLateRuns service: every {@code PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS}
 * (5 s), flow runs still {@code Scheduled} more than {@code _AFTER_SECONDS} (15 s) after their
 * scheduled start get a {@code Late} state (type SCHEDULED), through the orchestration rule that
 * lets only such runs be marked late; each also emits its {@code prefect.flow-run.Late} event.
 */
public final class MarkLateRuns extends LoopService {
    static final int BATCH = 400;

    private final FlowRunService runs;
    private final Duration after;

    public MarkLateRuns(FlowRunService runs, Duration loop, Duration after) {
        super("late-runs", loop);
        this.runs = runs;
        this.after = after;
    }

    @Override
    protected void runOnce() {
        var before = Times.now().minus(after);
        List<FlowRunService.LateCandidate> found;
        do {
            found = runs.lateCandidates(before, BATCH);
            found.forEach(runs::markLate);
        } while (found.size() == BATCH);
    }
}
