package org.openprefect.appliance.deployments;

import org.openprefect.appliance.services.LoopService;

import java.time.Duration;

/**
 * The deployments' part of upstream's Foreman service: every {@code PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS}
 * (15 s), a READY deployment that no runner or worker has polled for
 * {@code _DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS} (60 s), nor its work queue, becomes NOT_READY and
 * emits {@code prefect.deployment.not-ready}. Workers, pools and queues join it with issue 13.
 */
public final class Foreman extends LoopService {
    private final DeploymentService deployments;
    private final Duration deploymentTimeout;

    public Foreman(DeploymentService deployments, Duration loop, Duration deploymentTimeout) {
        super("foreman", loop);
        this.deployments = deployments;
        this.deploymentTimeout = deploymentTimeout;
    }

    @Override
    protected void runOnce() {
        deployments.markNotReady(deploymentTimeout);
    }
}
