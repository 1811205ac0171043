package org.openprefect.appliance.events;

import org.openprefect.appliance.common.BatchingQueue;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the events the server emits itself (such as {@code prefect.flow-run.Running}) in batches,
 * off the request path, as upstream's event persister does: a state transition does not wait for
 * its event's rows. What is queued when the server stops is flushed first.
 *
 * <p>A batch waits {@link #LINGER} after its first event for more: stored one a commit, a run's
 * three state events wrote the same index pages of events and event_resources three times, a third
 * of the WAL a run's lifecycle wrote on SQLite. Upstream's persister holds events up to 5 s
 * ({@code PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL}); {@code /events/out} hears of an
 * event once it is stored, so this stays short.
 */
public final class EventPersister implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventPersister.class.getName());
    private static final int BATCH = 200;
    private static final int MAX_QUEUED = 10_000;
    private static final Duration LINGER = Duration.ofMillis(50);

    private final Database db;
    private final EventRepository events;
    private final EventBus bus;
    private final BatchingQueue<Event> queue;

    public EventPersister(Database db, EventBus bus) {
        this.db = db;
        this.bus = bus;
        this.events = new EventRepository(db.dialect());
        this.queue = new BatchingQueue<>("event-persister", MAX_QUEUED, BATCH, LINGER, this::store);
    }

    /** Queues an event; when the queue is full (the database far behind) the event is dropped with a warning. */
    public void emit(Event event) {
        if (!queue.offer(event)) {
            LOG.warning("Event queue full; dropped " + event.event());
        }
    }

    /** An emitted event and its rows. */
    private record Ready(Event event, EventRepository.Prepared rows) {
    }

    private void store(List<Event> batch) {
        try {
            Instant received = Times.now();
            // Rendered before the transaction, so the single writer only runs SQL.
            List<Ready> ready = batch.stream().map(e -> new Ready(e, events.prepare(e, received))).toList();
            List<Ready> stored = db.write(c -> events.insertNew(c, ready, Ready::rows));
            bus.stored(stored.stream().map(r -> r.event().id().toString()).toList());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not store " + batch.size() + " emitted events", e);
        }
    }

    /** Stops taking events after storing what is queued (waits up to 10 s). */
    @Override
    public void close() {
        queue.close();
    }
}
