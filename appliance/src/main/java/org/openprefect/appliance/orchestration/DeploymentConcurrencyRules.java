package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static org.openprefect.appliance.orchestration.StateType.CANCELLED;
import static org.openprefect.appliance.orchestration.StateType.CANCELLING;
import static org.openprefect.appliance.orchestration.StateType.PENDING;
import static org.openprefect.appliance.orchestration.StateType.RUNNING;
import static org.openprefect.appliance.orchestration.StateType.SCHEDULED;

/**
 * Upstream's deployment-concurrency rules of CoreFlowPolicy: a run of a deployment with a
 * concurrency limit takes a slot (under a lease, whose id its state carries) to become PENDING, or
 * waits in AwaitingConcurrencySlot (ENQUEUE) or is Cancelled (CANCEL_NEW); the slot is freed when
 * it leaves PENDING, RUNNING and CANCELLING.
 */
final class DeploymentConcurrencyRules {
    private static final Set<StateType> HOLDING = EnumSet.of(PENDING, RUNNING, CANCELLING);
    private static final String LEASE = "deployment_concurrency_lease_id";
    private static final String REACHED = "Deployment concurrency limit reached.";

    private DeploymentConcurrencyRules() {
    }

    /** CopyDeploymentConcurrencyLeaseID: RUNNING keeps the lease PENDING took. */
    static final class CopyDeploymentConcurrencyLeaseId extends Rule {
        CopyDeploymentConcurrencyLeaseId() {
            super(of(PENDING), false, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            ObjectNode details = ctx.proposed().details();
            if (details.path(LEASE).isNull() || details.path(LEASE).isMissingNode()) {
                details.set(LEASE, ctx.initial.details().get(LEASE));
            }
        }
    }

    /**
     * SecureFlowConcurrencySlots. Its cleanup (another rule changed the transition afterwards) frees
     * only the lease it took here: upstream frees a slot whether or not it took one, which can free
     * a slot another run holds. A fresh instance serves each transition (FlowRules builds the policy
     * per call), so the lease it took is a field.
     */
    static final class SecureFlowConcurrencySlots extends Rule {
        private UUID acquired;

        SecureFlowConcurrencySlots() {
            super(allBut(PENDING, RUNNING, CANCELLING), true, of(PENDING));
        }

        @Override
        protected void before(TransitionContext ctx) throws SQLException {
            DeploymentConcurrency concurrency = ctx.store.deploymentConcurrency();
            if (concurrency == null || ctx.run.deploymentId == null) {
                return;
            }
            DeploymentConcurrency.Limit limit = concurrency.limitOf(ctx.connection, ctx.run.deploymentId);
            if (limit == null) {
                return;
            }
            if (limit.limit() == 0) {
                ctx.abort("The deployment concurrency limit is 0. The flow will deadlock if submitted again.");
                return;
            }
            acquired = concurrency.acquire(ctx.connection, limit.limitId(), ctx.now);
            if (acquired != null) {
                ctx.proposed().details().put(LEASE, acquired.toString());
            } else if ("CANCEL_NEW".equals(limit.collisionStrategy())) {
                ctx.reject(State.of(CANCELLED, "Cancelled", REACHED, ctx.now, null), REACHED);
            } else {
                ObjectNode details = State.normalizedDetails(null);
                details.put("scheduled_time", Times.iso(ctx.now.plusMillis((long) (concurrency.slotWaitSeconds() * 1000))));
                ctx.reject(new State(Ids.v7(ctx.now), SCHEDULED, "AwaitingConcurrencySlot", ctx.now, null,
                        NullNode.getInstance(), details), REACHED);
            }
        }

        @Override
        protected void cleanup(TransitionContext ctx) throws SQLException {
            if (acquired != null) {
                ctx.store.deploymentConcurrency().releaseLease(ctx.connection, acquired, ctx.now);
                acquired = null;
            }
        }
    }

    /**
     * ReleaseFlowConcurrencySlots: leaving PENDING, RUNNING or CANCELLING for anything else frees the
     * slot. A run whose lease is gone (the repossessor freed it) frees nothing more; upstream frees a
     * slot again there, which another run may hold. A run that holds no lease id (it took its slot
     * before leases) frees one slot, as upstream does.
     */
    static final class ReleaseFlowConcurrencySlots extends Rule {
        ReleaseFlowConcurrencySlots() {
            super(ALL, true, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) {
        }

        @Override
        protected void after(TransitionContext ctx) throws SQLException {
            DeploymentConcurrency concurrency = ctx.store.deploymentConcurrency();
            if (concurrency == null || ctx.run.deploymentId == null || ctx.initial == null
                    || !HOLDING.contains(ctx.initialType()) || HOLDING.contains(ctx.proposedType())) {
                return;
            }
            JsonNode lease = ctx.initial.details().get(LEASE);
            if (lease != null && !lease.isNull()) {
                concurrency.releaseLease(ctx.connection, UUID.fromString(lease.asText()), ctx.now);
                return;
            }
            DeploymentConcurrency.Limit limit = concurrency.limitOf(ctx.connection, ctx.run.deploymentId);
            if (limit != null) {
                concurrency.releaseSlot(ctx.connection, limit.limitId(), ctx.now);
            }
        }
    }
}
