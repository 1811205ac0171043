package org.openprefect.appliance.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchingQueueTest {
    @Test
    void itemsThatQueuedWhileTheHandlerWorkedComeAsOneBatchInOrder() throws Exception {
        CountDownLatch firstTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        try (BatchingQueue<Integer> queue = new BatchingQueue<>("test-batches", 100, 3, batch -> {
            batches.add(new ArrayList<>(batch));
            firstTaken.countDown();
            await(release);
        })) {
            assertTrue(queue.offer(0));
            assertTrue(firstTaken.await(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 5; i++) {
                assertTrue(queue.offer(i));
            }
            release.countDown();
        }
        assertEquals(List.of(List.of(0), List.of(1, 2, 3), List.of(4, 5)), batches, "at most maxBatch at once, nothing lost on close");
    }

    @Test
    void itemsOfferedWithinTheLingerJoinTheFirstOnesBatch() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(1);
        try (BatchingQueue<Integer> queue = new BatchingQueue<>("test-linger", 100, 10, Duration.ofSeconds(2), batch -> {
            batches.add(new ArrayList<>(batch));
            handled.countDown();
        })) {
            assertTrue(queue.offer(0));
            Thread.sleep(100);
            assertTrue(queue.offer(1));
            assertTrue(queue.offer(2));
            assertTrue(handled.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(List.of(0, 1, 2)), batches);
    }

    @Test
    void aFullBatchOrAClosingQueueDoesNotWaitForTheLinger() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch full = new CountDownLatch(1);
        BatchingQueue<Integer> queue = new BatchingQueue<>("test-linger-full", 100, 2, Duration.ofMinutes(5), batch -> {
            batches.add(new ArrayList<>(batch));
            full.countDown();
        });
        assertTrue(queue.offer(0));
        assertTrue(queue.offer(1));
        assertTrue(full.await(10, TimeUnit.SECONDS), "two items fill the batch: it goes without waiting five minutes");
        assertTrue(queue.offer(2));
        long start = System.nanoTime();
        queue.close(Duration.ofSeconds(30));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "closing stored the lingering batch at once");
        assertEquals(List.of(List.of(0, 1), List.of(2)), batches);
    }

    @Test
    void aClosedOrFullQueueRefusesItems() {
        CountDownLatch release = new CountDownLatch(1);
        BatchingQueue<String> queue = new BatchingQueue<>("test-full", 1, 1, batch -> await(release));
        assertTrue(queue.offer("taken by the handler"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        boolean queued = false;
        while (!queued && System.nanoTime() < deadline) {
            queued = queue.offer("waits");
        }
        assertTrue(queued);
        assertFalse(queue.offer("no room"), "capacity 1 is taken");
        release.countDown();
        queue.close();
        assertFalse(queue.isOpen());
        assertFalse(queue.offer("after close"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
