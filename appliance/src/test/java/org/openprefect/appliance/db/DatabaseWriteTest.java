package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write happens fully or not at all, on a file and on the documented in-memory URL. */
class DatabaseWriteTest {
    @TempDir
    Path temp;

    @Test
    void failedWriteLeavesNothingBehindOnAFile() throws Exception {
        check(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("a.db")));
    }

    @Test
    void inMemoryUrlFromTheDocsWorksAcrossConnections() throws Exception {
        check(DatabaseUrl.parse("sqlite+aiosqlite:///file::memory:?cache=shared&uri=true&check_same_thread=false"));
    }

    @Test
    void sqliteConnectionsKeepSmallPageCaches() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("c.db"))))) {
            db.migrateToHead("test");
            assertEquals(-16 * 1024, (int) db.<Integer>write(c -> pragma(c, "cache_size")), "the writer: 16 MiB (KiB when negative)");
            assertEquals(-4 * 1024, (int) db.<Integer>read(c -> pragma(c, "cache_size")), "each reader: 4 MiB");
        }
    }

    @Test
    void theWriterKeepsSavepointCopiesInMemoryNotInTemporaryFiles() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("t.db"))))) {
            db.migrateToHead("test");
            assertEquals(2, (int) db.<Integer>write(c -> pragma(c, "temp_store")), "MEMORY");
        }
    }

    /**
     * Writes that come together share a transaction (each under a savepoint) and one alone has it to
     * itself (no savepoint), as does every third write here ({@code writeAlone}, which splits the
     * writes queued with it): either way a failed write takes only its own rows with it, and every
     * caller hears back.
     */
    @Test
    void failedWritesAmongConcurrentOnesTakeOnlyTheirOwnRows() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("g.db"))));
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            db.migrateToHead("test");
            AtomicInteger failed = new AtomicInteger();
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                SqlWork<Void> work = c -> {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO flow (id, name) VALUES ('" + new UUID(0, n) + "', 'flow-" + n + "')");
                        if (n % 5 == 0) {
                            s.executeUpdate("INSERT INTO flow (id, name) VALUES ('" + new UUID(1, n) + "', 'flow-" + n + "')");
                        }
                    }
                    return null;
                };
                writes.add(pool.submit(() -> {
                    try {
                        if (n % 3 == 0) {
                            db.writeAlone(work);
                        } else {
                            db.write(work);
                        }
                    } catch (DataAccessException e) {
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> w : writes) {
                w.get(30, TimeUnit.SECONDS);
            }
            assertEquals(80, failed.get(), "every fifth write repeats its flow's name");
            assertEquals(320, count(db));
            assertEquals(0, (int) db.<Integer>read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM flow WHERE CAST(substr(name, 6) AS INTEGER) % 5 = 0")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }), "no row of a failed write");
        }
    }

    private static int pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void check(DatabaseUrl url) throws SQLException {
        try (Database db = Database.open(DatabaseConfig.of(url))) {
            db.migrateToHead("test");
            DataAccessException e = assertThrows(DataAccessException.class, () -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO flow (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a')");
                    s.executeUpdate("INSERT INTO flow (id, name) VALUES ('00000000-0000-4000-8000-000000000002', 'a')");
                }
                return null;
            }));
            assertTrue(e.isIntegrityViolation(), e.getMessage());
            assertEquals(0, count(db), "the first insert was rolled back with the second");
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO flow (id, name) VALUES ('00000000-0000-4000-8000-000000000003', 'b')");
                }
                return null;
            });
            assertEquals(1, count(db));
            assertTrue(db.isReachable());
            assertEquals("r0011", db.schemaRevision().orElseThrow());
        }
    }

    private static int count(Database db) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM flow")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
