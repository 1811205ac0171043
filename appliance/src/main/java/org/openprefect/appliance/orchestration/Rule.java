package org.openprefect.appliance.orchestration;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * One orchestration rule: the (from, to) state types it takes part in, what it does before the
 * transition is written and, if the transition still matches, after.
 */
public abstract class Rule {
    static final Set<StateType> ALL = EnumSet.allOf(StateType.class);

    private final Set<StateType> from;
    private final boolean fromNoState;
    private final Set<StateType> to;

    /** @param fromNoState whether a run without any state yet counts as a "from" match (upstream's ALL includes it) */
    protected Rule(Set<StateType> from, boolean fromNoState, Set<StateType> to) {
        this.from = from;
        this.fromNoState = fromNoState;
        this.to = to;
    }

    boolean applies(StateType initial, StateType proposed) {
        boolean fromMatches = initial == null ? fromNoState : from.contains(initial);
        return fromMatches && proposed != null && to.contains(proposed);
    }

    protected abstract void before(TransitionContext ctx) throws SQLException;

    protected void after(TransitionContext ctx) throws SQLException {
    }

    /** When another rule changed the transition after {@link #before} ran: undo what before did. */
    protected void cleanup(TransitionContext ctx) throws SQLException {
    }

    protected static Set<StateType> of(StateType first, StateType... rest) {
        return EnumSet.of(first, rest);
    }

    protected static Set<StateType> allBut(StateType... excluded) {
        Set<StateType> s = EnumSet.allOf(StateType.class);
        for (StateType t : excluded) {
            s.remove(t);
        }
        return s;
    }
}
