package org.openprefect.appliance.orchestration;

import org.openprefect.appliance.common.Times;

import java.sql.SQLException;

import static org.openprefect.appliance.orchestration.StateType.RUNNING;
import static org.openprefect.appliance.orchestration.StateType.SCHEDULED;

/** The bookkeeping upstream's GlobalFlowPolicy and GlobalTaskPolicy keep on every written transition (§5). */
final class GlobalTransforms {
    private GlobalTransforms() {
    }

    static void apply(TransitionContext ctx, boolean flowRun) throws SQLException {
        RunRecord run = ctx.run;
        if (ctx.initial != null) {
            // (run id, timestamp) is unique in both states tables: nudge a colliding timestamp by a
            // microsecond before the run's state_timestamp is taken from it. A run without a state
            // yet has no timestamps to collide with.
            while (ctx.store.stateTimestampTaken(ctx.connection, run.id, ctx.proposed().timestamp())) {
                ctx.replaceProposed(ctx.proposed().withTimestamp(ctx.proposed().timestamp().plusNanos(1000)));
            }
        }
        State p = ctx.proposed();
        run.stateType = p.type();
        run.stateName = p.name();
        run.stateTimestamp = p.timestamp();
        if (p.type() == RUNNING && run.startTime == null) {
            run.startTime = p.timestamp();
        }
        if (ctx.initial != null && ctx.initial.type().isTerminal() && !p.type().isTerminal()) {
            run.endTime = null;
        }
        if (p.type().isTerminal() && run.endTime == null) {
            run.endTime = p.timestamp();
            if (run.startTime == null) {
                run.startTime = p.timestamp();
            }
        }
        if (ctx.initial != null && ctx.initial.type() == RUNNING) {
            run.totalRunTime += Math.max(0, Times.seconds(ctx.initial.timestamp(), p.timestamp()));
        }
        if (run.expectedStartTime == null) {
            run.expectedStartTime = p.type() == SCHEDULED && p.scheduledTime() != null ? p.scheduledTime() : p.timestamp();
        }
        if (ctx.initial != null && ctx.initial.type() == SCHEDULED) {
            run.nextScheduledStartTime = null;
        }
        if (p.type() == SCHEDULED) {
            run.nextScheduledStartTime = p.scheduledTime();
        }
        if (flowRun) {
            p.details().put("flow_run_id", run.id.toString());
            if (run.parentTaskRunId != null) {
                p.details().put("task_run_id", run.parentTaskRunId.toString());
            }
            if (p.type() == RUNNING) {
                if (!run.empiricalPolicy.path("resuming").asBoolean(false)) {
                    run.runCount += 1;
                }
            }
            if (p.type() == RUNNING || p.type().isTerminal()) {
                run.empiricalPolicy.put("resuming", false);
            }
        } else {
            if (run.flowRunId != null) {
                p.details().put("flow_run_id", run.flowRunId.toString());
            }
            p.details().put("task_run_id", run.id.toString());
            if (p.type() == RUNNING) {
                run.runCount += 1;
            }
        }
    }
}
