package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.List;

import static org.openprefect.appliance.orchestration.StateType.CANCELLED;
import static org.openprefect.appliance.orchestration.StateType.CANCELLING;
import static org.openprefect.appliance.orchestration.StateType.COMPLETED;
import static org.openprefect.appliance.orchestration.StateType.CRASHED;
import static org.openprefect.appliance.orchestration.StateType.FAILED;
import static org.openprefect.appliance.orchestration.StateType.PAUSED;
import static org.openprefect.appliance.orchestration.StateType.PENDING;
import static org.openprefect.appliance.orchestration.StateType.RUNNING;
import static org.openprefect.appliance.orchestration.StateType.SCHEDULED;

/** The flow-run rules of upstream's CoreFlowPolicy and MinimalFlowPolicy (ORCHESTRATION.md §3). */
public final class FlowRules {
    private FlowRules() {
    }

    /** CoreFlowPolicy, in priority order; new rule instances for each transition (a rule may remember what it did). */
    public static List<Rule> corePolicy() {
        return List.of(new PreventDuplicateTransitions(), new HandleFlowTerminalStateTransitions(),
                new EnforceCancellingToCancelledTransition(), new BypassCancellingFlowRunsWithNoInfra(),
                new PreventPendingTransitions(), new DeploymentConcurrencyRules.CopyDeploymentConcurrencyLeaseId(),
                new DeploymentConcurrencyRules.SecureFlowConcurrencySlots(), new EnsureOnlyScheduledFlowsMarkedLate(),
                new HandlePausingFlows(), new HandleResumingPausedFlows(), new CopyScheduledTime(), new WaitForScheduledTime(),
                new RetryFailedFlows(), new DeploymentConcurrencyRules.ReleaseFlowConcurrencySlots());
    }

    /** MarkLateRunsPolicy: what the late-runs service proposes its Late states through. */
    public static List<Rule> markLateRunsPolicy() {
        return List.of(new EnsureOnlyScheduledFlowsMarkedLate());
    }

    /** MinimalFlowPolicy: used with {@code force=true} and for the initial state of a new run. */
    public static List<Rule> minimalPolicy() {
        return List.of(new PreventResultDataLoss(), new BypassCancellingFlowRunsWithNoInfra(),
                new DeploymentConcurrencyRules.ReleaseFlowConcurrencySlots());
    }

    static final class PreventDuplicateTransitions extends Rule {
        PreventDuplicateTransitions() {
            super(ALL, true, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (ctx.initial == null) {
                return;
            }
            JsonNode mine = ctx.proposed().details().get("transition_id");
            JsonNode theirs = ctx.initial.details().get("transition_id");
            if (mine != null && !mine.isNull() && theirs != null && !theirs.isNull() && mine.asText().equals(theirs.asText())) {
                ctx.rejectWithoutState("This run has already made this state transition.");
            }
        }
    }

    static final class HandleFlowTerminalStateTransitions extends Rule {
        HandleFlowTerminalStateTransitions() {
            super(StateType.TERMINAL, false, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) {
            StateType to = ctx.proposedType();
            if (to == CANCELLING || to == PAUSED || to == CRASHED) {
                ctx.abort("Run is already in terminal state " + ctx.initialType() + ".");
                return;
            }
            if (ctx.initialType() == COMPLETED && ctx.initial.hasPersistedData()) {
                if (!to.isTerminal() || (to == COMPLETED && !ctx.proposed().hasPersistedData())) {
                    ctx.rejectWithoutState("This run has already completed with a persisted result.");
                    return;
                }
            }
            if (to == SCHEDULED && ctx.run.deploymentId == null) {
                ctx.abort("Cannot reschedule a flow run without a deployment.");
                return;
            }
            if (!to.isTerminal()) {
                ObjectNode policy = ctx.run.empiricalPolicy;
                policy.set("pause_keys", JsonNodeFactory.instance.arrayNode());
                policy.put("resuming", false);
                if (to == SCHEDULED) {
                    policy.put("retry_type", "reschedule");
                } else {
                    policy.putNull("retry_type");
                }
            }
        }
    }

    static final class EnforceCancellingToCancelledTransition extends Rule {
        EnforceCancellingToCancelledTransition() {
            super(of(CANCELLING), false, allBut(CANCELLED));
        }

        @Override
        protected void before(TransitionContext ctx) {
            ctx.rejectWithoutState("Cannot transition flows that are cancelling to a state other than Cancelled.");
        }
    }

    static final class BypassCancellingFlowRunsWithNoInfra extends Rule {
        BypassCancellingFlowRunsWithNoInfra() {
            super(of(SCHEDULED, PAUSED), false, of(CANCELLING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            boolean scheduledWithoutInfra = ctx.initialType() == SCHEDULED && ctx.run.infrastructurePid == null;
            boolean resuming = "Resuming".equals(ctx.initial.name());
            boolean suspended = ctx.initialType() == PAUSED && ctx.initial.details().path("pause_reschedule").asBoolean(false);
            if (scheduledWithoutInfra || resuming || suspended) {
                State cancelled = new State(Ids.v7(ctx.now), CANCELLED, "Cancelled", ctx.now, ctx.proposed().message(),
                        ctx.proposed().data(), ctx.proposed().details());
                ctx.reject(cancelled, "Run has no infrastructure to cancel; it was cancelled directly.");
            }
        }
    }

    static final class PreventPendingTransitions extends Rule {
        PreventPendingTransitions() {
            super(of(PENDING, RUNNING, CANCELLING, CANCELLED), false, of(PENDING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            String name = ctx.proposed().name();
            if (ctx.initialType() == PENDING && name != null && !name.equals("Pending") && !name.equals(ctx.initial.name())) {
                ObjectNode details = ctx.proposed().details();
                if (details.get("scheduled_time").isNull()) {
                    details.set("scheduled_time", ctx.initial.details().get("scheduled_time"));
                }
                if (details.get("deployment_concurrency_lease_id").isNull()) {
                    details.set("deployment_concurrency_lease_id", ctx.initial.details().get("deployment_concurrency_lease_id"));
                }
                return;
            }
            ctx.abort("This run is in a " + ctx.initialType() + " state and cannot transition to a PENDING state.");
        }
    }

    static final class EnsureOnlyScheduledFlowsMarkedLate extends Rule {
        EnsureOnlyScheduledFlowsMarkedLate() {
            super(ALL, true, of(SCHEDULED));
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (!"Late".equals(ctx.proposed().name())) {
                return;
            }
            if (ctx.initialType() != SCHEDULED || "Late".equals(ctx.initial.name())) {
                ctx.rejectWithoutState("Only scheduled flow runs that are not already late can be marked late.");
            }
        }
    }

    static final class HandlePausingFlows extends Rule {
        HandlePausingFlows() {
            super(ALL, true, of(PAUSED));
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (ctx.initial == null) {
                ctx.abort("Cannot pause flows with no state.");
                return;
            }
            if (ctx.initialType() != RUNNING) {
                ctx.rejectWithoutState("Cannot pause flows that are not currently running.");
                return;
            }
            ObjectNode details = ctx.proposed().details();
            if (details.get("pause_key").isNull()) {
                details.put("pause_key", Ids.v4().toString());
            }
            String key = details.get("pause_key").asText();
            for (JsonNode k : ctx.run.empiricalPolicy.withArray("pause_keys")) {
                if (k.asText().equals(key)) {
                    ctx.rejectWithoutState("This pause has already fired.");
                    return;
                }
            }
            if (details.path("pause_reschedule").asBoolean(false)) {
                if (ctx.run.parentTaskRunId != null) {
                    ctx.abort("Cannot pause subflows with the reschedule option.");
                } else if (ctx.run.deploymentId == null) {
                    ctx.abort("Cannot pause flows without a deployment with the reschedule option.");
                }
            }
        }

        @Override
        protected void after(TransitionContext ctx) {
            ArrayNode keys = ctx.run.empiricalPolicy.withArray("pause_keys");
            keys.add(ctx.proposed().details().get("pause_key").asText());
        }
    }

    static final class HandleResumingPausedFlows extends Rule {
        HandleResumingPausedFlows() {
            super(of(PAUSED), false, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) {
            StateType to = ctx.proposedType();
            if (!(to == RUNNING || to == SCHEDULED || to.isTerminal())) {
                ctx.rejectWithoutState("Cannot transition a paused flow run to " + to + ".");
                return;
            }
            if (ctx.initial.details().path("pause_reschedule").asBoolean(false) && ctx.run.deploymentId == null) {
                ctx.rejectWithoutState("Cannot reschedule a suspended flow run without a deployment.");
                return;
            }
            JsonNode timeout = ctx.initial.details().get("pause_timeout");
            if (timeout != null && !timeout.isNull() && Times.parse(timeout.asText()).isBefore(ctx.now)) {
                ctx.reject(State.of(FAILED, "Failed", "The flow was paused and never resumed.", ctx.now, ctx.proposed().details()),
                        "The flow run pause has timed out and can no longer resume.");
            }
        }

        @Override
        protected void after(TransitionContext ctx) {
            ctx.run.empiricalPolicy.put("resuming", true);
        }
    }

    static final class CopyScheduledTime extends Rule {
        CopyScheduledTime() {
            super(of(SCHEDULED), false, of(PENDING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (ctx.proposed().details().get("scheduled_time").isNull()) {
                ctx.proposed().details().set("scheduled_time", ctx.initial.details().get("scheduled_time"));
            }
        }
    }

    static final class WaitForScheduledTime extends Rule {
        WaitForScheduledTime() {
            super(of(SCHEDULED, PENDING), false, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            Instant scheduled = ctx.initial.scheduledTime();
            if (scheduled != null && scheduled.isAfter(ctx.now)) {
                int delay = (int) Math.round(Times.seconds(ctx.now, scheduled));
                ctx.delay(delay, "Scheduled time is in the future: " + Times.iso(scheduled) + ".");
            }
        }
    }

    static final class RetryFailedFlows extends Rule {
        RetryFailedFlows() {
            super(of(RUNNING), false, of(FAILED));
        }

        @Override
        protected void before(TransitionContext ctx) {
            ObjectNode policy = ctx.run.empiricalPolicy;
            if (!Retries.remain(ctx.run)) {
                policy.putNull("retry_type");
                return;
            }
            double delay = retryDelay(policy);
            policy.put("retry_type", "in_process");
            policy.set("pause_keys", JsonNodeFactory.instance.arrayNode());
            policy.put("resuming", false);
            Retries.rejectToAwaitingRetry(ctx, delay);
        }

        private static double retryDelay(ObjectNode policy) {
            JsonNode d = policy.get("retry_delay");
            if (d == null || d.isNull() || (d.isNumber() && d.asDouble() == 0 && policy.path("retry_delay_seconds").asDouble(0) > 0)) {
                d = policy.get("retry_delay_seconds");
            }
            return d == null || d.isNull() ? 0 : d.asDouble();
        }
    }

    static final class PreventResultDataLoss extends Rule {
        PreventResultDataLoss() {
            super(StateType.TERMINAL, false, StateType.TERMINAL);
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (ctx.initialType() == COMPLETED && ctx.initial.hasPersistedData() && ctx.proposedType() == COMPLETED
                    && !ctx.proposed().hasPersistedData()) {
                ctx.rejectWithoutState("This run has already completed with a persisted result.");
            }
        }
    }
}
