package org.openprefect.appliance.services;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives back to the system the heap that a busy spell grew, once the server is idle. The serial
 * collector that {@code ./prefect} and the image choose returns heap only after a full collection,
 * and an idle server makes none: after a stream of 120,000 task-run events the server stayed at
 * 411 MB resident for as long as it was left idle, and went to 196 MB after one full collection
 * (docs/performance.md, tenth pass). A pass finds the server idle when no collection at all ran
 * since the pass before (it allocates too little to fill the young generation in that time), and
 * runs one full collection when the heap has also grown by {@link #MIN_GROWTH} since the server
 * started or since the last one it ran: at most one after each busy spell, with the server idle (its
 * pause, 0.1 s after that stream, is what a request arriving then waits). It gives the heap back at
 * once only with {@code jvm.options}' {@code -XX:-ShrinkHeapInSteps}: by default a full collection
 * after a burst that made none of its own shrinks the heap by nothing (eleventh pass). An operator's
 * {@code -XX:+DisableExplicitGC} turns it off.
 */
public final class HeapRelease extends LoopService {
    private static final Logger LOG = Logger.getLogger(HeapRelease.class.getName());
    static final Duration EVERY = Duration.ofSeconds(30);
    /** Less growth than this is not worth a full collection. */
    static final long MIN_GROWTH = 32L << 20;

    private final LongSupplier collections;
    private final LongSupplier committedHeap;
    private final Runnable fullCollection;
    private long collectionsBefore = -1;
    /** The heap as the server started, then as the last full collection left it, or as small as it has been since. */
    private long committedAfterRelease;

    /** Made as the server starts: the heap then is where growth is counted from. */
    public HeapRelease() {
        this(HeapRelease::collectionsSoFar, () -> Runtime.getRuntime().totalMemory(), System::gc);
    }

    HeapRelease(LongSupplier collections, LongSupplier committedHeap, Runnable fullCollection) {
        super("heap-release", EVERY);
        this.collections = collections;
        this.committedHeap = committedHeap;
        this.fullCollection = fullCollection;
        this.committedAfterRelease = committedHeap.getAsLong();
    }

    /** The collectors' counts load the JVM's management classes: not while the server starts. */
    @Override
    protected Duration firstPassAfter() {
        return EVERY;
    }

    @Override
    public boolean runsInEveryServer() {
        return true;
    }

    @Override
    protected void runOnce() {
        long count = collections.getAsLong();
        long committed = committedHeap.getAsLong();
        boolean idle = count == collectionsBefore;
        if (committed < committedAfterRelease) {
            committedAfterRelease = committed;
        }
        if (idle && committed - committedAfterRelease >= MIN_GROWTH) {
            fullCollection.run();
            committedAfterRelease = committedHeap.getAsLong();
            LOG.fine(String.format("Idle after a busy spell: the heap went from %d MB to %d MB", committed >> 20, committedAfterRelease >> 20));
            count = collections.getAsLong();
        }
        collectionsBefore = count;
    }

    private static long collectionsSoFar() {
        long sum = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, collector.getCollectionCount());
        }
        return sum;
    }
}
