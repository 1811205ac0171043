package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

/** What the flow and task retry rules share: how many retries a policy allows, and the AwaitingRetry state. */
final class Retries {
    private Retries() {
    }

    /** {@code retries}, or the deprecated {@code max_retries} when it is unset; 0 when neither is. */
    static int allowed(ObjectNode policy) {
        JsonNode r = policy.hasNonNull("retries") ? policy.get("retries") : policy.get("max_retries");
        return r == null || r.isNull() ? 0 : r.asInt();
    }

    /** Whether a run failing now gets another try: retries allowed and not used up. */
    static boolean remain(RunRecord run) {
        int allowed = allowed(run.empiricalPolicy);
        return allowed > 0 && run.runCount <= allowed;
    }

    /** Rejects the FAILED proposal in favour of {@code AwaitingRetry} at now + delay, keeping its message and data. */
    static void rejectToAwaitingRetry(TransitionContext ctx, double delaySeconds) {
        ObjectNode details = ctx.proposed().details().deepCopy();
        details.put("scheduled_time", Times.iso(ctx.now.plusMillis((long) (delaySeconds * 1000))));
        ctx.reject(new State(Ids.v7(ctx.now), StateType.SCHEDULED, "AwaitingRetry", ctx.now, ctx.proposed().message(),
                ctx.proposed().data(), State.normalizedDetails(details)), "Retrying");
    }
}
