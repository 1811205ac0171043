package org.openprefect.appliance.orchestration;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Upstream's StateType; the terminal ones end a run. */
public enum StateType {
    SCHEDULED, PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, CRASHED, PAUSED, CANCELLING;

    public static final Set<StateType> TERMINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED, CRASHED);
    /** The terminal types as an SQL list of literals, for {@code state_type IN (...)}. */
    public static final String TERMINAL_SQL = String.join(", ", TERMINAL.stream().map(t -> "'" + t.name() + "'").toList());

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** The default state name: the type capitalised ("RUNNING" → "Running"). */
    public String defaultName() {
        String lower = name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
