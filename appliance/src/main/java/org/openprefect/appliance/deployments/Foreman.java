package org.openprefect.appliance.deployments;

import org.openprefect.appliance.services.LoopService;
import org.openprefect.appliance.workpools.WorkPoolService;

import java.time.Duration;

/**
 * Upstream's Foreman service, every {@code PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS} (15 s), in
 * upstream's order: a worker silent for {@code _INACTIVITY_HEARTBEAT_MULTIPLE} (3) heartbeat
 * intervals ({@code _FALLBACK_HEARTBEAT_INTERVAL_SECONDS}, 30, when it gave none) goes OFFLINE; a
 * READY pool left without an ONLINE worker becomes NOT_READY; a READY deployment that neither it nor
 * its work queue was polled for {@code _DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS} (60 s) becomes
 * NOT_READY with {@code prefect.deployment.not-ready}; a READY queue not polled for
 * {@code _WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS} (60 s) becomes NOT_READY.
 */
public final class Foreman extends LoopService {
    /** The foreman's settings. */
    public record Limits(int heartbeatMultiple, int fallbackHeartbeatSeconds, Duration deploymentTimeout, Duration queueTimeout) {
    }

    private final DeploymentService deployments;
    private final WorkPoolService pools;
    private final Limits limits;

    public Foreman(DeploymentService deployments, WorkPoolService pools, Duration loop, Limits limits) {
        super("foreman", loop);
        this.deployments = deployments;
        this.pools = pools;
        this.limits = limits;
    }

    @Override
    protected void runOnce() {
        pools.superviseWorkers(limits.heartbeatMultiple(), limits.fallbackHeartbeatSeconds(), limits.queueTimeout());
        deployments.markNotReady(limits.deploymentTimeout());
    }
}
