package org.openprefect.appliance.orchestration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * What the deployment-concurrency rules take and free slots through, inside the transition's
 * transaction: a deployment's limit, slots leased on it, and the collision strategy when full.
 */
public interface DeploymentConcurrency {
    /** A deployment's limit: {@code collisionStrategy} is ENQUEUE or CANCEL_NEW. */
    record Limit(UUID limitId, int limit, String collisionStrategy) {
    }

    /** The deployment's limit, or null when it has none. */
    Limit limitOf(Connection c, UUID deploymentId) throws SQLException;

    /** A slot of the limit under a new lease; the lease's id, or null when the limit is full. */
    UUID acquire(Connection c, UUID limitId, Instant now) throws SQLException;

    /** Frees the lease's slots; false when there is no such lease (released already, or expired and repossessed). */
    boolean releaseLease(Connection c, UUID leaseId, Instant now) throws SQLException;

    /** Frees one slot of the limit, for a run that took its slot without a lease. */
    void releaseSlot(Connection c, UUID limitId, Instant now) throws SQLException;

    /** How long a run that found the limit full waits in AwaitingConcurrencySlot. */
    double slotWaitSeconds();
}
