package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.openprefect.appliance.orchestration.StateType.CANCELLING;
import static org.openprefect.appliance.orchestration.StateType.COMPLETED;
import static org.openprefect.appliance.orchestration.StateType.CRASHED;
import static org.openprefect.appliance.orchestration.StateType.FAILED;
import static org.openprefect.appliance.orchestration.StateType.PAUSED;
import static org.openprefect.appliance.orchestration.StateType.RUNNING;

/** The task-run rules of upstream's CoreTaskPolicy (ORCHESTRATION.md §4.1). */
public final class TaskRules {
    private TaskRules() {
    }

    /** CoreTaskPolicy in priority order; tag concurrency limits join with the concurrency feature. */
    public static List<Rule> corePolicy(int maxCacheKeyLength) {
        return List.of(new CacheRetrieval(), new HandleTaskTerminalStateTransitions(), new PreventRunningTasksFromStoppedFlows(),
                new TagConcurrencyRules.SecureTaskConcurrencySlots(), new FlowRules.CopyScheduledTime(), new FlowRules.WaitForScheduledTime(),
                new RetryFailedTasks(), new RenameReruns(), new UpdateFlowRunTrackerOnTasks(), new CacheInsertion(maxCacheKeyLength),
                new TagConcurrencyRules.ReleaseTaskConcurrencySlots());
    }

    /** MinimalTaskPolicy (forced states): it always frees the run's tag slots. */
    public static List<Rule> minimalPolicy() {
        return List.of(new TagConcurrencyRules.ReleaseTaskConcurrencySlots());
    }

    static final class CacheRetrieval extends Rule {
        CacheRetrieval() {
            super(ALL, true, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) throws SQLException {
            JsonNode key = ctx.proposed().details().get("cache_key");
            if (key == null || key.isNull() || ctx.proposed().details().path("refresh_cache").asBoolean(false)) {
                return;
            }
            State cached = ctx.store.cachedState(ctx.connection, key.asText(), ctx.now);
            if (cached != null) {
                State copy = new State(Ids.v7(ctx.now), cached.type(), "Cached", ctx.now, cached.message(), cached.data(),
                        State.normalizedDetails(cached.details()));
                ctx.reject(copy, "Retrieved state from cache");
            }
        }
    }

    static final class HandleTaskTerminalStateTransitions extends Rule {
        HandleTaskTerminalStateTransitions() {
            super(StateType.TERMINAL, false, ALL);
        }

        @Override
        protected void before(TransitionContext ctx) throws SQLException {
            StateType to = ctx.proposedType();
            if (to == CANCELLING || to == PAUSED || to == CRASHED) {
                ctx.abort("Run is already in terminal state " + ctx.initialType() + ".");
                return;
            }
            if (ctx.initialType() == COMPLETED && ctx.initial.hasPersistedData() && !to.isTerminal()) {
                ctx.rejectWithoutState("This run has already completed with a persisted result.");
                return;
            }
            if (!to.isTerminal()) {
                ctx.run.runCount = 0;
                if (to == RUNNING && ctx.run.flowRunId != null) {
                    RunStore.ParentFlowRun flow = ctx.store.parentFlowRun(ctx.connection, ctx.run.flowRunId);
                    if (flow != null && flow.runCount() > ctx.run.flowRunRunCount) {
                        ctx.rename("Retrying");
                    }
                }
            }
        }
    }

    static final class PreventRunningTasksFromStoppedFlows extends Rule {
        PreventRunningTasksFromStoppedFlows() {
            super(ALL, true, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) throws SQLException {
            if (ctx.run.flowRunId == null) {
                return;
            }
            RunStore.ParentFlowRun flow = ctx.store.parentFlowRun(ctx.connection, ctx.run.flowRunId);
            if (flow == null || flow.stateType() == null) {
                ctx.abort("The enclosing flow must be running to begin task execution.");
            } else if (flow.stateType() == PAUSED) {
                ObjectNode details = State.normalizedDetails(null);
                details.set("pause_timeout", flow.stateDetails().get("pause_timeout"));
                details.set("pause_reschedule", flow.stateDetails().get("pause_reschedule"));
                ctx.reject(State.of(PAUSED, "NotReady", null, ctx.now, details),
                        "The flow is paused, new tasks can execute after resuming flow run: " + flow.id() + ".");
            } else if (flow.stateType() != RUNNING) {
                ctx.abort("The enclosing flow must be running to begin task execution.");
            }
        }
    }

    static final class RetryFailedTasks extends Rule {
        RetryFailedTasks() {
            super(of(RUNNING), false, of(FAILED));
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (!ctx.proposed().details().path("retriable").asBoolean(true)) {
                return;
            }
            if (Retries.remain(ctx.run)) {
                Retries.rejectToAwaitingRetry(ctx, delaySeconds(ctx.run.empiricalPolicy, ctx.run.runCount));
            }
        }

        /** retry_delay may be a list: element run_count-1, the last one reused; jitter spreads it. */
        static double delaySeconds(ObjectNode policy, int runCount) {
            JsonNode d = policy.get("retry_delay");
            double delay;
            if (d != null && d.isArray() && !d.isEmpty()) {
                delay = d.get(Math.min(Math.max(runCount - 1, 0), d.size() - 1)).asDouble();
            } else if (d != null && d.isNumber()) {
                delay = d.asDouble();
            } else {
                delay = policy.path("retry_delay_seconds").asDouble(0);
            }
            JsonNode jitter = policy.get("retry_jitter_factor");
            if (jitter != null && jitter.isNumber() && jitter.asDouble() > 0 && delay > 0) {
                double max = delay * (1 + jitter.asDouble());
                delay = Math.min(max, delay * (1 + ThreadLocalRandom.current().nextDouble() * jitter.asDouble()));
            }
            return delay;
        }
    }

    static final class RenameReruns extends Rule {
        RenameReruns() {
            super(ALL, true, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) {
            if (ctx.run.runCount > 0) {
                boolean fromRetry = ctx.initial != null && "AwaitingRetry".equals(ctx.initial.name());
                ctx.rename(fromRetry ? "Retrying" : "Rerunning");
            }
        }
    }

    static final class UpdateFlowRunTrackerOnTasks extends Rule {
        UpdateFlowRunTrackerOnTasks() {
            super(ALL, true, of(RUNNING));
        }

        @Override
        protected void before(TransitionContext ctx) {
        }

        @Override
        protected void after(TransitionContext ctx) throws SQLException {
            if (ctx.run.flowRunId != null) {
                RunStore.ParentFlowRun flow = ctx.store.parentFlowRun(ctx.connection, ctx.run.flowRunId);
                if (flow != null) {
                    ctx.run.flowRunRunCount = flow.runCount();
                }
            }
        }
    }

    static final class CacheInsertion extends Rule {
        private final int maxKeyLength;

        CacheInsertion(int maxKeyLength) {
            super(ALL, true, of(COMPLETED));
            this.maxKeyLength = maxKeyLength;
        }

        @Override
        protected void before(TransitionContext ctx) {
            JsonNode key = ctx.proposed().details().get("cache_key");
            if (key != null && !key.isNull() && key.asText().length() > maxKeyLength) {
                // Upstream reports this as a rejection but keeps the proposed state.
                State kept = ctx.proposed();
                ctx.reject(kept, "Cache key exceeded maximum allowed length of " + maxKeyLength + " characters.");
            }
        }

        @Override
        protected void after(TransitionContext ctx) throws SQLException {
            JsonNode key = ctx.proposed().details().get("cache_key");
            if (key != null && !key.isNull() && key.asText().length() <= maxKeyLength) {
                JsonNode exp = ctx.proposed().details().get("cache_expiration");
                ctx.store.insertCache(ctx.connection, key.asText(), exp == null || exp.isNull() ? null : Times.parse(exp.asText()),
                        ctx.proposed().id());
            }
        }
    }

}
