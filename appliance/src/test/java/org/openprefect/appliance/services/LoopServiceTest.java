package org.openprefect.appliance.services;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopServiceTest {
    /** Fails its second pass, succeeds otherwise, and counts passes and how many ever overlapped. */
    static final class Counting extends LoopService {
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();

        Counting() {
            super("counting", Duration.ofMillis(20));
        }

        @Override
        protected void runOnce() throws Exception {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                Thread.sleep(30); // longer than the interval: the next pass must still wait for this one
                if (passes.incrementAndGet() == 2) {
                    throw new IllegalStateException("second pass fails");
                }
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @Test
    void runsAgainAfterAFailureOneAtATimeAndReportsBoth() throws Exception {
        Counting loop = new Counting();
        assertNull(loop.status().lastSuccess());
        loop.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (loop.passes.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        loop.close();
        int after = loop.passes.get();
        Thread.sleep(100);
        assertTrue(after >= 5, "it kept running after the failed pass: " + after);
        assertEquals(after, loop.passes.get(), "close stops it");
        assertEquals(0, loop.overlaps.get(), "one pass at a time");
        assertNotNull(loop.status().lastSuccess());
        assertEquals("second pass fails", loop.status().lastError());
        assertTrue(loop.status().lastSuccess().isAfter(loop.status().lastFailure()));
    }

    @Test
    void aLoopNeedsAPositiveInterval() {
        assertThrows(IllegalArgumentException.class, () -> new LoopService("zero", Duration.ZERO) {
            @Override
            protected void runOnce() {
            }
        });
    }

    @Test
    void aPassThatNeverEndsMakesTheLoopStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LoopService hanging = new LoopService("hanging", Duration.ofMillis(20)) {
            @Override
            protected void runOnce() throws Exception {
                release.await();
            }
        };
        hanging.start();
        Thread.sleep(100);
        Instant now = Instant.now();
        assertFalse(hanging.isStuck(now), "a minute of grace");
        assertTrue(hanging.isStuck(now.plusSeconds(61)), "three intervals and a minute without a finished pass");
        release.countDown();
        Thread.sleep(100);
        assertFalse(hanging.isStuck(Instant.now().plusSeconds(59)));
        hanging.close();
        assertFalse(hanging.isStuck(Instant.now().plusSeconds(3600)), "a stopped loop is not stuck");
    }
}
