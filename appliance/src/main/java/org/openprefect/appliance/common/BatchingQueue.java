package org.openprefect.appliance.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A queue drained by one thread of its own, in batches: the thread waits for an item, takes it and
 * whatever queued up behind it (up to {@code maxBatch}), and hands the batch to the handler, so
 * work that arrives together is done together (one commit). With a linger it also waits that long
 * after the first item for more to join the batch. {@link #close} stops taking items, then waits for
 * the queued ones to be handled.
 */
public final class BatchingQueue<T> implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final long lingerNanos;
    private final Consumer<List<T>> handler;
    private final Thread worker;
    private volatile boolean open = true;

    /** {@code capacity}: how many items may wait; {@link #offer} refuses more. */
    public BatchingQueue(String threadName, int capacity, int maxBatch, Consumer<List<T>> handler) {
        this(threadName, capacity, maxBatch, Duration.ZERO, handler);
    }

    /** {@code linger}: how long a batch waits after its first item for more (none once closing). */
    public BatchingQueue(String threadName, int capacity, int maxBatch, Duration linger, Consumer<List<T>> handler) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.handler = handler;
        this.worker = Thread.ofPlatform().name(threadName).daemon().start(this::drain);
    }

    /** Queues an item; false when the queue is full or closed. */
    public boolean offer(T item) {
        return open && queue.offer(item);
    }

    public boolean isOpen() {
        return open;
    }

    private void drain() {
        List<T> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                T first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                linger(batch);
                handler.accept(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Waits out the linger for more items, in slices, so that a closing queue stores its batch at once. */
    private void linger(List<T> batch) throws InterruptedException {
        if (lingerNanos == 0) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (open && batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            T next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
            if (next != null) {
                batch.add(next);
                queue.drainTo(batch, maxBatch - batch.size());
            }
        }
    }

    /** Stops taking items and waits up to {@code wait} for the queued ones. */
    public void close(Duration wait) {
        open = false;
        try {
            worker.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
