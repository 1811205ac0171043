package org.openprefect.appliance.deployments;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Upstream's two scheduler services in one class. The main one (every
 * {@code PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS}, 60 s) tops up every deployment that has
 * fewer than {@code MIN_RUNS} future auto-scheduled runs or none {@code MIN_SCHEDULED_TIME} ahead;
 * the recent one (every {@code RECENT_DEPLOYMENTS_LOOP_SECONDS}, 5 s) schedules deployments updated
 * since its last pass, so a new deployment gets its runs within seconds. Runs carry idempotency
 * keys, so the two, a restart or a race never create one twice.
 */
public final class Scheduler extends LoopService {
    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

    private final DeploymentService deployments;
    private final Duration recentWindow;

    private Scheduler(String name, Duration loop, DeploymentService deployments, Duration recentWindow) {
        super(name, loop);
        this.deployments = deployments;
        this.recentWindow = recentWindow;
    }

    public static Scheduler main(DeploymentService deployments, Duration loop) {
        return new Scheduler("scheduler", loop, deployments, null);
    }

    /** Looks back one loop and a second, as upstream does, to catch deployments changed during the last pass. */
    public static Scheduler recentDeployments(DeploymentService deployments, Duration loop) {
        return new Scheduler("recent-deployments-scheduler", loop, deployments, loop.plusSeconds(1));
    }

    @Override
    protected void runOnce() {
        DeploymentService.SchedulingLimits limits = deployments.limits();
        Instant since = recentWindow == null ? null : Times.now().minus(recentWindow);
        UUID after = null;
        int inserted = 0;
        List<UUID> page;
        do {
            page = since == null ? deployments.deploymentsNeedingRuns(after) : deployments.deploymentsUpdatedSince(since, after);
            for (UUID id : page) {
                Instant now = Times.now();
                try {
                    inserted += deployments.scheduleRuns(id, now, now.plus(limits.maxTime()), limits.minTime(), limits.minRuns(),
                            limits.maxRuns());
                } catch (RuntimeException e) {
                    // One badly configured schedule must not stop the others.
                    LOG.log(Level.WARNING, "Error scheduling deployment " + id + ".", e);
                }
            }
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() >= limits.batchSize());
        if (inserted > 0) {
            LOG.info(name() + ": scheduled " + inserted + " runs.");
        }
    }
}
