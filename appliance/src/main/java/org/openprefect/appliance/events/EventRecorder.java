package org.openprefect.appliance.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A feature that turns some received events into its own rows in the events' transaction, so that
 * an acknowledged event is never half-recorded (task runs from {@code prefect.task-run.*} events).
 * Wired in by {@code PrefectServer}, so that events does not depend on the features it feeds.
 *
 * @param <R> what the recorder makes of one event before the transaction
 */
public interface EventRecorder<R> {
    boolean wants(Event event);

    /** The event's recording, made ready outside the transaction (parsing, rendering) so the write is short; null when there is nothing to write. */
    R prepare(Event event);

    /**
     * Inside the transaction: the recordings of the events it stored (not those it held already), in
     * the order received. Events that arrive together are recorded together, so that a recorder
     * can write several events about one thing as one row write.
     */
    void record(Connection c, List<R> recordings) throws SQLException;
}
