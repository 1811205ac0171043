package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs one proposed transition through a policy: loads the run under a lock, lets the rules
 * accept, replace, reject, abort or delay it, applies the global bookkeeping, writes the state and
 * the run, and runs the after hooks of the rules that still match. Must be called inside a write
 * transaction so all of it lands or none of it does.
 */
public final class Orchestrator {
    private Orchestrator() {
    }

    /** Thrown when the run does not exist; the API answers 404 with an exception_message. */
    public static final class RunNotFoundException extends RuntimeException {
        public RunNotFoundException(String message) {
            super(message, null, false, false);
        }
    }

    public static OrchestrationResult setState(Connection c, RunStore store, UUID runId, JsonNode stateCreate,
                                               List<Rule> policy, boolean flowRun) throws SQLException {
        Instant now = Times.now();
        RunRecord run = store.loadForUpdate(c, runId);
        if (run == null) {
            throw new RunNotFoundException(store.kindLabel() + " with id " + runId + " not found");
        }
        State initial = run.stateId == null ? null : store.readState(c, run.stateId);
        State proposed = State.proposed(stateCreate, now);
        return transition(c, store, run, initial, proposed, policy, flowRun, now);
    }

    /** Applies a state to a run already loaded (run creation applies its first state this way). */
    public static OrchestrationResult transition(Connection c, RunStore store, RunRecord run, State initial, State proposed,
                                                 List<Rule> policy, boolean flowRun, Instant now) throws SQLException {
        TransitionContext ctx = new TransitionContext(c, store, run, initial, proposed, now);
        List<Rule> engaged = new ArrayList<>();
        for (Rule rule : policy) {
            if (ctx.nullified()) {
                break;
            }
            if (rule.applies(ctx.initialType(), ctx.proposedType())) {
                rule.before(ctx);
                engaged.add(rule);
            }
        }
        if (ctx.nullified()) {
            for (Rule rule : engaged) {
                rule.cleanup(ctx);
            }
            return new OrchestrationResult(initial, ctx.status(), ctx.reason(), ctx.delaySeconds(), false);
        }
        GlobalTransforms.apply(ctx, flowRun);
        store.writeState(c, run, ctx.proposed());
        for (Rule rule : engaged) {
            if (rule.applies(ctx.initialType(), ctx.proposedType())) {
                rule.after(ctx);
            } else {
                rule.cleanup(ctx);
            }
        }
        store.saveRun(c, run);
        store.stateWritten(c, run, initial, ctx.proposed());
        if (flowRun && run.parentTaskRunId != null && store.parentTaskStore() != null) {
            mirrorOntoParentTask(c, store.parentTaskStore(), run, ctx.proposed(), now);
        }
        return new OrchestrationResult(ctx.proposed(), ctx.status(), ctx.reason(), ctx.delaySeconds(), true);
    }

    /** Upstream forces a subflow's state, as a fresh copy, onto the task run that stands for it in the parent flow. */
    private static void mirrorOntoParentTask(Connection c, RunStore tasks, RunRecord subflow, State state, Instant now) throws SQLException {
        RunRecord parentTask = tasks.loadForUpdate(c, subflow.parentTaskRunId);
        if (parentTask == null) {
            return;
        }
        ObjectNode details = state.details().deepCopy();
        details.put("child_flow_run_id", subflow.id.toString());
        details.put("task_run_id", subflow.parentTaskRunId.toString());
        details.putNull("flow_run_id");
        State mirrored = new State(Ids.v7(state.timestamp()), state.type(), state.name(), state.timestamp(),
                state.message(), NullNode.getInstance(), details);
        State initial = parentTask.stateId == null ? null : tasks.readState(c, parentTask.stateId);
        transition(c, tasks, parentTask, initial, mirrored, List.of(), false, now);
    }
}
