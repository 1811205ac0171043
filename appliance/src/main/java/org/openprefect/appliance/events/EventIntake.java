package org.openprefect.appliance.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The events of {@code /events/in} connections, stored off the sockets' reading threads: each
 * connection's events in the order they came, each prepared (parsed, validated, its rows rendered)
 * as it is taken from the connection's queue, and stored together with those that kept arriving
 * meanwhile, up to {@link #MAX_BATCH} (one transaction). A client streaming a mapped flow's
 * task-run events is then held to one commit per batch, not per event. A connection whose queue is
 * full stops being read (TCP pushes back on the client) until its events are stored. {@link #close}
 * lets every connection's queued events be stored before the database closes.
 */
public final class EventIntake implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventIntake.class.getName());
    /**
     * Per connection; a full queue stops reading the socket. Small: a message is prepared as it is
     * taken, and one that waited here while its connection's batch was being written outlived the
     * collector's young generation, which then copied it (docs/performance.md, eleventh pass); the
     * rest of a burst waits in the socket's buffers, off the heap.
     */
    static final int MAX_QUEUED = 100;
    static final int MAX_BATCH = 1_000;
    private static final long POLL_MILLIS = 200;

    private final EventService events;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    public EventIntake(EventService events) {
        this.events = events;
    }

    /** A connection's stream; {@code onFailure} runs (once) when its events cannot be stored, so the client reconnects and resends. */
    Stream open(Runnable onFailure) {
        Stream stream = new Stream(onFailure);
        streams.add(stream);
        stream.drainer.start();
        return stream;
    }

    /** One connection's queue and the virtual thread that stores it. */
    final class Stream {
        /** Messages as text: parsed, a queued event held ~5 times its text's memory (1,000 per connection filled the heap). */
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
        private final Runnable onFailure;
        private final Thread drainer;
        private volatile boolean ended;
        private volatile boolean failed;

        private Stream(Runnable onFailure) {
            this.onFailure = onFailure;
            this.drainer = Thread.ofVirtual().name("events-in").unstarted(this::drain);
        }

        /** Queues one event, waiting while the queue is full. */
        void add(String event) {
            if (failed) {
                return;
            }
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The connection ended: what is queued is still stored, then the thread ends. */
        void end() {
            ended = true;
        }

        private void drain() {
            List<EventService.Incoming> batch = new ArrayList<>();
            try {
                while (!failed && (!ended || !queue.isEmpty())) {
                    String message = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    while (message != null) {
                        EventService.Incoming prepared = events.prepare(message);
                        if (prepared != null) {
                            batch.add(prepared);
                        }
                        message = batch.size() < MAX_BATCH ? queue.poll() : null;
                    }
                    events.storeTogether(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed = true;
                queue.clear();
                LOG.log(Level.SEVERE, "Could not store events from /events/in; closing so the client reconnects and resends.", e);
                onFailure.run();
            } finally {
                streams.remove(this);
            }
        }
    }

    /** Ends every stream and waits up to {@code wait} for their queued events to be stored. */
    public void close(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Stream s : streams) {
            s.end();
        }
        for (Stream s : List.copyOf(streams)) {
            try {
                s.drainer.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
