package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
            assertEquals(-16 * 1024, (int) db.<Integer>write(DatabaseWriteTest::cacheSize), "the writer: 16 MiB (KiB when negative)");
            assertEquals(-4 * 1024, (int) db.<Integer>read(DatabaseWriteTest::cacheSize), "each reader: 4 MiB");
        }
    }

    private static int cacheSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA cache_size")) {
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
            assertEquals("r0010", db.schemaRevision().orElseThrow());
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
