package org.openprefect.appliance.concurrency;

import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.orchestration.TagConcurrency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Tag concurrency for the task-run rules: a task run's slots are leased to it for upstream's hundred years, freed by its next state. */
public final class TagSlots implements TagConcurrency {
    private final ConcurrencyLimitService limits;
    private final ConcurrencyRepository repository;
    private final double slotWaitSeconds;

    public TagSlots(ConcurrencyLimitService limits, double slotWaitSeconds) {
        this.limits = limits;
        this.repository = limits.repository();
        this.slotWaitSeconds = slotWaitSeconds;
    }

    @Override
    public Attempt acquire(Connection c, UUID taskRunId, Instant now) throws SQLException {
        List<GlobalLimit> active = repository.lockByNames(c, tagLimitNames(c, taskRunId)).stream().filter(GlobalLimit::active).toList();
        for (GlobalLimit l : active) {
            if (l.limit() == 0) {
                return new Attempt(null, l.tag(), List.of());
            }
        }
        if (active.isEmpty()) {
            return new Attempt(null, null, List.of());
        }
        if (!limits.take(c, active, 1, now)) {
            return new Attempt(null, null, active.stream().map(GlobalLimit::tag).toList());
        }
        UUID lease = Ids.v4();
        repository.insertLease(c, new Lease(lease, now, now.plus(TagLimitService.V1_LEASE_TTL), 1, TagLimitService.TASK_RUN, taskRunId,
                active.stream().map(GlobalLimit::id).toList()));
        return new Attempt(lease, null, List.of());
    }

    @Override
    public void releaseHeldBy(Connection c, UUID taskRunId, Instant now) throws SQLException {
        limits.releaseHeldBy(c, repository.lockByNames(c, tagLimitNames(c, taskRunId)), taskRunId, now);
    }

    @Override
    public void releaseLease(Connection c, UUID leaseId, Instant now) throws SQLException {
        limits.releaseLease(c, leaseId, now);
    }

    @Override
    public double slotWaitSeconds() {
        return slotWaitSeconds;
    }

    private static List<String> tagLimitNames(Connection c, UUID taskRunId) throws SQLException {
        List<String> tags = Rows.queryOne(c, "SELECT tags FROM task_run WHERE id = ?", List.of(taskRunId.toString()),
                rs -> Json.texts(Rows.json(rs, "tags")));
        return tags == null ? List.of() : tags.stream().map(t -> GlobalLimit.TAG_PREFIX + t).toList();
    }
}
