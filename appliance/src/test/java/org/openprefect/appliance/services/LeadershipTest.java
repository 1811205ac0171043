package org.openprefect.appliance.services;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseUrl;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two servers' copies of one loop on one PostgreSQL: one runs it, the other stands by and takes over when the first stops. */
class LeadershipTest {
    static final class Counting extends LoopService {
        final AtomicInteger passes = new AtomicInteger();

        Counting(String name) {
            super(name, Duration.ofMillis(50));
        }

        @Override
        protected void runOnce() {
            passes.incrementAndGet();
        }
    }

    private static Database postgres() {
        Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")));
        Assumptions.assumeTrue(db.isReachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (bin/start-postgres.sh); skipped.");
        return db;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void oneServerRunsTheLoopAndAStandbyTakesOverWhenItStops() throws Exception {
        String name = "leader-test-" + UUID.randomUUID();
        try (Database first = postgres(); Database second = postgres()) {
            Counting a = new Counting(name);
            Counting b = new Counting(name);
            a.start(Leadership.of(first, name));
            await(() -> a.passes.get() > 0, "the first server leads");
            b.start(Leadership.of(second, name));
            Thread.sleep(500);
            assertEquals(0, b.passes.get(), "the standby ran no pass while the first held the lock");
            assertFalse(b.status().leading());
            assertTrue(a.status().leading());

            int byFirst = a.passes.get();
            a.close();
            await(() -> b.passes.get() > 0, "the standby takes over");
            assertTrue(b.status().leading());
            assertTrue(byFirst >= 5, "the first ran every interval: " + byFirst);
            b.close();
        }
    }

    @Test
    void aLoopIsLedAgainAfterItsSessionIsKilled() throws Exception {
        String name = "leader-test-" + UUID.randomUUID();
        try (Database db = postgres(); Database admin = postgres()) {
            Counting a = new Counting(name);
            a.start(Leadership.of(db, name));
            await(() -> a.passes.get() > 0, "it leads");
            int key = AdvisoryLockLeadership.keyOf(name);
            int killed = admin.read(c -> {
                try (var s = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND classid = ? AND objid = ?")) {
                    s.setLong(1, Integer.toUnsignedLong(AdvisoryLockLeadership.NAMESPACE));
                    s.setLong(2, Integer.toUnsignedLong(key));
                    try (var rs = s.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
            assertEquals(1, killed, "one session held the loop's lock");
            int before = a.passes.get();
            await(() -> a.passes.get() > before + 3, "it leads again on a new session");
            a.close();
        }
    }
}
