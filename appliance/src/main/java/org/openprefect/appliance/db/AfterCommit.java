package org.openprefect.appliance.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Work that must happen only once the surrounding write has committed, such as handing out the
 * events of the states it wrote: a write that rolls back must not announce what it never stored.
 * {@link Database#write} opens the list on the thread that runs the write's work and runs it after
 * the commit; it is dropped when the write fails. Outside a write the action runs at once.
 * An action must be quick and must not write to the database itself: on SQLite it runs on the
 * single writer's thread (handing an event to a queue is the intended use).
 */
public final class AfterCommit {
    private static final ThreadLocal<List<Runnable>> PENDING = new ThreadLocal<>();

    private AfterCommit() {
    }

    /** Runs {@code action} after the current write commits, or now when no write is running on this thread. */
    public static void run(Runnable action) {
        List<Runnable> pending = PENDING.get();
        if (pending == null) {
            action.run();
        } else {
            pending.add(action);
        }
    }

    /** Runs {@code work} with a fresh list open (or the outer write's, when nested); returns what it registered. */
    static <T> Collected<T> collect(SqlWork<T> work, Connection c) throws SQLException {
        List<Runnable> outer = PENDING.get();
        if (outer != null) {
            return new Collected<>(work.run(c), List.of());
        }
        List<Runnable> mine = new ArrayList<>();
        PENDING.set(mine);
        try {
            return new Collected<>(work.run(c), mine);
        } finally {
            PENDING.remove();
        }
    }

    /** A write's result and the actions it registered, to run once it has committed. */
    record Collected<T>(T value, List<Runnable> afterCommit) {
        T committed() {
            afterCommit.forEach(Runnable::run);
            return value;
        }
    }
}
