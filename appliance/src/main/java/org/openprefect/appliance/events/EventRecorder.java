package org.openprefect.appliance.events;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A feature that turns some received events into its own rows in the event's transaction, so that
 * an acknowledged event is never half-recorded (task runs from {@code prefect.task-run.*} events).
 * Wired in by {@code PrefectServer}, so that events does not depend on the features it feeds.
 */
public interface EventRecorder {
    /** What to write for one event, made ready before the transaction (parsing, rendering) so the write itself is short. */
    @FunctionalInterface
    interface Recording {
        void apply(Connection c) throws SQLException;
    }

    boolean wants(Event event);

    /** The event's recording; called outside the transaction, applied inside it. */
    Recording prepare(Event event);
}
