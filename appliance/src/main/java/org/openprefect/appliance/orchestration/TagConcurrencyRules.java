package org.openprefect.appliance.orchestration;

import java.sql.SQLException;
import java.util.UUID;

import static org.openprefect.appliance.orchestration.StateType.CANCELLING;
import static org.openprefect.appliance.orchestration.StateType.RUNNING;

/**
 * Upstream's tag-concurrency rules of CoreTaskPolicy, for task runs whose states go through the API:
 * a task run takes a slot of each of its tags' limits to become RUNNING, or is told to wait
 * ({@code PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS}; upstream jitters it around that
 * average), or is aborted when a limit is 0; the slots are freed on any state but RUNNING and
 * CANCELLING. (The 3.4 engine takes its tag slots itself, through the v2 lease routes.)
 */
final class TagConcurrencyRules {
    private TagConcurrencyRules() {
    }

    /** SecureTaskConcurrencySlots; a fresh instance per transition remembers the lease it took, for its cleanup. */
    static final class SecureTaskConcurrencySlots extends Rule {
        private UUID acquired;

        SecureTaskConcurrencySlots() {
            super(ALL, true, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) throws SQLException {
            TagConcurrency tags = ctx.store.tagConcurrency();
            if (tags == null) {
                return;
            }
            TagConcurrency.Attempt attempt = tags.acquire(ctx.connection, ctx.run.id, ctx.now);
            if (attempt.zeroTag() != null) {
                ctx.abort("The concurrency limit on tag \"" + attempt.zeroTag() + "\" is 0 and will deadlock if the task tries to run again.");
            } else if (!attempt.fullTags().isEmpty()) {
                ctx.delay((int) Math.round(tags.slotWaitSeconds()), "Concurrency limit reached for tags: " + String.join(", ", attempt.fullTags()));
            } else {
                acquired = attempt.leaseId();
            }
        }

        @Override
        protected void cleanup(TransitionContext ctx) throws SQLException {
            if (acquired != null) {
                ctx.store.tagConcurrency().releaseLease(ctx.connection, acquired, ctx.now);
                acquired = null;
            }
        }
    }

    /** ReleaseTaskConcurrencySlots: any state but RUNNING and CANCELLING frees what the task run holds. */
    static final class ReleaseTaskConcurrencySlots extends Rule {
        ReleaseTaskConcurrencySlots() {
            super(ALL, true, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) {
        }

        @Override
        protected void after(TransitionContext ctx) throws SQLException {
            TagConcurrency tags = ctx.store.tagConcurrency();
            if (tags != null && ctx.proposedType() != RUNNING && ctx.proposedType() != CANCELLING) {
                tags.releaseHeldBy(ctx.connection, ctx.run.id, ctx.now);
            }
        }
    }
}
