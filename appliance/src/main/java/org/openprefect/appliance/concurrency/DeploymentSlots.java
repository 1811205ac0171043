package org.openprefect.appliance.concurrency;

import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.orchestration.DeploymentConcurrency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Deployment concurrency for the orchestration rules: a run's slot is leased for
 * {@code PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION} (300 s), which the client
 * renews while the run lives; an inactive limit limits nothing.
 */
public final class DeploymentSlots implements DeploymentConcurrency {
    private final ConcurrencyLimitService limits;
    private final ConcurrencyRepository repository;
    private final Duration leaseDuration;
    private final double slotWaitSeconds;

    public DeploymentSlots(ConcurrencyLimitService limits, Duration leaseDuration, double slotWaitSeconds) {
        this.limits = limits;
        this.repository = limits.repository();
        this.leaseDuration = leaseDuration;
        this.slotWaitSeconds = slotWaitSeconds;
    }

    @Override
    public Limit limitOf(Connection c, UUID deploymentId) throws SQLException {
        return repository.deploymentLimit(c, deploymentId);
    }

    @Override
    public UUID acquire(Connection c, UUID limitId, Instant now) throws SQLException {
        List<GlobalLimit> locked = repository.lockByIds(c, List.of(limitId));
        if (!limits.take(c, locked, 1, now)) {
            return null;
        }
        UUID lease = Ids.v4();
        repository.insertLease(c, new Lease(lease, now, now.plus(leaseDuration), 1, null, null, List.of(limitId)));
        return lease;
    }

    @Override
    public boolean releaseLease(Connection c, UUID leaseId, Instant now) throws SQLException {
        return limits.releaseLease(c, leaseId, now);
    }

    @Override
    public void releaseSlot(Connection c, UUID limitId, Instant now) throws SQLException {
        limits.release(c, repository.lockByIds(c, List.of(limitId)), 1, null, now);
    }

    @Override
    public double slotWaitSeconds() {
        return slotWaitSeconds;
    }
}
