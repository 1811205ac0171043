package org.openprefect.appliance.orchestration;

import java.sql.Connection;
import java.time.Instant;

/**
 * One proposed transition while rules look at it: the run (locked), its current state, the
 * proposal (replaced or dropped by rules) and the result status so far.
 */
public final class TransitionContext {
    public final Connection connection;
    public final RunStore store;
    public final RunRecord run;
    public final State initial;
    public final Instant now;
    private State proposed;
    private OrchestrationResult.Status status = OrchestrationResult.Status.ACCEPT;
    private String reason;
    private Integer delaySeconds;

    TransitionContext(Connection connection, RunStore store, RunRecord run, State initial, State proposed, Instant now) {
        this.connection = connection;
        this.store = store;
        this.run = run;
        this.initial = initial;
        this.proposed = proposed;
        this.now = now;
    }

    public State proposed() {
        return proposed;
    }

    public StateType initialType() {
        return initial == null ? null : initial.type();
    }

    public StateType proposedType() {
        return proposed == null ? null : proposed.type();
    }

    /** Nothing will be written: a rule aborted, delayed, or rejected without a replacement. */
    public boolean nullified() {
        return proposed == null;
    }

    public OrchestrationResult.Status status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public Integer delaySeconds() {
        return delaySeconds;
    }

    /** Renaming keeps the transition as it is. */
    public void rename(String name) {
        proposed = proposed.withName(name);
    }

    public void replaceProposed(State state) {
        proposed = state;
    }

    public void reject(State replacement, String why) {
        status = OrchestrationResult.Status.REJECT;
        reason = why;
        proposed = replacement;
    }

    public void rejectWithoutState(String why) {
        reject(null, why);
    }

    public void abort(String why) {
        status = OrchestrationResult.Status.ABORT;
        reason = why;
        proposed = null;
    }

    public void delay(int seconds, String why) {
        status = OrchestrationResult.Status.WAIT;
        reason = why;
        delaySeconds = seconds;
        proposed = null;
    }
}
