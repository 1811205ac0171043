package org.openprefect.appliance.flowruns;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Upstream's FailExpiredPauses service: every {@code PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS}
 * (5 s), a flow run still Paused after its state's {@code pause_timeout} is Failed with "The flow was
 * paused and never resumed.", forcibly, as upstream does.
 */
public final class FailExpiredPauses extends LoopService {
    static final int BATCH = 200;

    private final FlowRunService runs;

    public FailExpiredPauses(FlowRunService runs, Duration loop) {
        super("pause-expirations", loop);
        this.runs = runs;
    }

    @Override
    protected void runOnce() {
        Instant now = Times.now();
        UUID after = null;
        List<UUID> page;
        do {
            page = runs.idsInStates(List.of("PAUSED"), "", List.of(), after, BATCH);
            page.forEach(id -> runs.failIfPauseExpired(id, now));
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == BATCH);
    }
}
