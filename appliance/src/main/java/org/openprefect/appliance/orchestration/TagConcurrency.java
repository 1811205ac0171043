package org.openprefect.appliance.orchestration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the task-run concurrency rules take and free slots through: the tag limits ({@code tag:<tag>}) of a task run's tags. */
public interface TagConcurrency {
    /**
     * The outcome of asking for a slot of every limited tag: {@code leaseId} when they were taken
     * (null when no tag is limited), else the tag whose limit is 0 or the tags that are full.
     */
    record Attempt(UUID leaseId, String zeroTag, List<String> fullTags) {
        public boolean granted() {
            return zeroTag == null && fullTags.isEmpty();
        }
    }

    Attempt acquire(Connection c, UUID taskRunId, Instant now) throws SQLException;

    /** Frees every slot the task run holds on its tags' limits. */
    void releaseHeldBy(Connection c, UUID taskRunId, Instant now) throws SQLException;

    void releaseLease(Connection c, UUID leaseId, Instant now) throws SQLException;

    /** {@code PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS}: how long a task that found its tags full waits. */
    double slotWaitSeconds();
}
