package org.openprefect.appliance.flowruns;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Upstream's CancellationCleanup service, every {@code PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS}
 * (20 s): the unfinished task runs of runs cancelled in the last day are Cancelled; an unfinished
 * subflow of a Cancelled run is cancelled (Cancelling when a deployment's infrastructure must stop
 * it); and a run Cancelling for longer than {@code _CANCELLING_TIMEOUT_SECONDS} (300 s), which no
 * worker or runner is stopping, is marked Cancelled, as current upstream does.
 */
public final class CancellationCleanup extends LoopService {
    static final int BATCH = 200;
    private static final List<String> ACTIVE = List.of("PENDING", "SCHEDULED", "RUNNING", "PAUSED", "CANCELLING");
    /** Only the cancelled runs with something to cancel: at a million runs a week, a day holds ~10,000 cancelled runs. */
    private static final String HAS_UNFINISHED_TASK_RUNS = "EXISTS (SELECT 1 FROM task_run WHERE task_run.flow_run_id = flow_run.id AND "
            + "task_run.state_type NOT IN (" + StateType.TERMINAL_SQL + "))";

    private final FlowRunService runs;
    private final SqlDialect dialect;
    private final Duration cancellingTimeout;

    public CancellationCleanup(FlowRunService runs, SqlDialect dialect, Duration loop, Duration cancellingTimeout) {
        super("cancellation-cleanup", loop);
        this.runs = runs;
        this.dialect = dialect;
        this.cancellingTimeout = cancellingTimeout;
    }

    @Override
    protected void runOnce() {
        Instant now = Times.now();
        eachPage(List.of("CANCELLED"), "flow_run.end_time IS NOT NULL AND flow_run.end_time >= ? AND " + HAS_UNFINISHED_TASK_RUNS,
                List.of(dialect.timestamp(now.minus(Duration.ofDays(1)))), runs::cancelUnfinishedTaskRuns);
        eachPage(ACTIVE, "flow_run.parent_task_run_id IS NOT NULL", List.of(), runs::cancelIfParentCancelled);
        Instant deadline = now.minus(cancellingTimeout);
        eachPage(List.of("CANCELLING"), "flow_run.state_timestamp < ?", List.of(dialect.timestamp(deadline)),
                id -> runs.cancelIfCancellingSince(id, deadline));
    }

    private void eachPage(List<String> states, String condition, List<Object> params, Consumer<UUID> action) {
        UUID after = null;
        List<UUID> page;
        do {
            page = runs.idsInStates(states, condition, params, after, BATCH);
            page.forEach(action);
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == BATCH);
    }
}
