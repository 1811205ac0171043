package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eight writers and a reader hammer one SQLite file for ten seconds through the server's write
 * path: no write may fail ("database is locked" is what upstream answers with 503) and every row
 * must be there afterwards.
 */
class SqliteConcurrentWritersTest {
    private static final int WRITERS = 8;
    private static final Duration RUN_FOR = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void eightWritersForTenSecondsLoseNothingAndNeverFail() throws Exception {
        DatabaseConfig config = DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("prefect.db")));
        try (Database db = Database.open(config)) {
            db.migrateToHead("test");
            Set<String> written = ConcurrentHashMap.newKeySet();
            AtomicInteger failures = new AtomicInteger();
            List<Throwable> errors = new ArrayList<>();
            long deadline = System.nanoTime() + RUN_FOR.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        String id = UUID.randomUUID().toString();
                        try {
                            db.write(c -> {
                                try (PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO log (id, name, level, message, timestamp) VALUES (?, ?, 20, ?, ?)")) {
                                    ps.setString(1, id);
                                    ps.setString(2, "writer-" + writer);
                                    ps.setString(3, "message " + id);
                                    ps.setString(4, "2026-11-28 10:00:00.000000");
                                    ps.executeUpdate();
                                }
                                return null;
                            });
                            written.add(id);
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                            synchronized (errors) {
                                errors.add(e);
                            }
                        }
                    }
                }));
            }
            AtomicInteger reads = new AtomicInteger();
            tasks.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    db.read(c -> {
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM log")) {
                            rs.next();
                        }
                        return null;
                    });
                    reads.incrementAndGet();
                }
            }));
            for (Future<?> t : tasks) {
                t.get();
            }
            pool.shutdown();

            assertEquals(0, failures.get(), () -> "writes failed: " + errors.stream().limit(3).toList());
            assertTrue(written.size() > WRITERS * 10, "the writers made progress: " + written.size());
            assertTrue(reads.get() > 0, "reads ran beside the writers");
            int stored = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM log")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(written.size(), stored, "every acknowledged row is stored, and nothing else");
        }
    }
}
