package org.openprefect.appliance.services;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When {@link HeapRelease} runs a full collection: once, when the server is idle after its heap grew. */
class HeapReleaseTest {
    private static final long MB = 1L << 20;

    /** A JVM as the loop sees it: collections so far, the committed heap, and what a full collection leaves. */
    private static final class Jvm {
        long collections;
        long committed = 40 * MB;
        long afterFullCollection = 40 * MB;
        int fullCollections;

        HeapRelease loop() {
            return new HeapRelease(() -> collections, () -> committed, () -> {
                fullCollections++;
                collections++;
                committed = afterFullCollection;
            });
        }
    }

    @Test
    void anIdleServerWhoseHeapGrewIsCollectedOnceAndOnlyOnce() {
        Jvm jvm = new Jvm();
        HeapRelease loop = jvm.loop();
        loop.runOnce();
        // A busy spell: young collections between passes, the heap grown to 400 MB.
        jvm.collections += 120;
        jvm.committed = 400 * MB;
        loop.runOnce();
        assertEquals(0, jvm.fullCollections, "not while it allocates");
        loop.runOnce();
        assertEquals(1, jvm.fullCollections, "idle and grown: one full collection");
        assertEquals(40 * MB, jvm.committed);
        loop.runOnce();
        loop.runOnce();
        assertEquals(1, jvm.fullCollections, "nothing grew since: none again");
    }

    /** The first pass may come in the middle of a burst that began as the server started. */
    @Test
    void growthIsCountedFromTheHeapTheServerStartedWith() {
        Jvm jvm = new Jvm();
        HeapRelease loop = jvm.loop();
        jvm.collections += 50;
        jvm.committed = 380 * MB;
        loop.runOnce();
        loop.runOnce();
        assertEquals(1, jvm.fullCollections);
    }

    @Test
    void growthBelowTheThresholdOrABusyServerIsLeftAlone() {
        Jvm jvm = new Jvm();
        HeapRelease loop = jvm.loop();
        loop.runOnce();
        jvm.committed += HeapRelease.MIN_GROWTH - MB;
        loop.runOnce();
        loop.runOnce();
        assertEquals(0, jvm.fullCollections, "31 MB more is not worth a full collection");
        for (int i = 0; i < 5; i++) {
            jvm.collections += 3;
            jvm.committed += 64 * MB;
            loop.runOnce();
        }
        assertEquals(0, jvm.fullCollections, "a server that keeps allocating is never stopped for it");
    }

    @Test
    void aHeapThatShrankByItselfIsTheNewStartingPoint() {
        Jvm jvm = new Jvm();
        jvm.committed = 300 * MB;
        HeapRelease loop = jvm.loop();
        loop.runOnce();
        jvm.committed = 100 * MB;
        jvm.collections++;
        loop.runOnce();
        jvm.committed = 120 * MB;
        jvm.collections++;
        loop.runOnce();
        loop.runOnce();
        assertEquals(0, jvm.fullCollections, "20 MB over where it shrank to");
        jvm.committed = 140 * MB;
        jvm.collections++;
        loop.runOnce();
        loop.runOnce();
        assertEquals(1, jvm.fullCollections, "40 MB over it");
    }
}
