package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL reaches the database file through {@link SqliteCheckpointer}, not the writer's commits:
 * the writer's connection checkpoints nothing itself, and the pages it commits are in the database
 * file within moments all the same.
 */
class SqliteCheckpointerTest {
    private static final int ROWS = 2_000;
    private static final int ROW_BYTES = 4_000;

    @TempDir
    Path temp;

    @Test
    void theWritersCommitsLeaveTheWalToTheCheckpointerWhichCopiesItSoon() throws Exception {
        Path file = temp.resolve("cp.db");
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + file)))) {
            assertEquals(0, (int) db.<Integer>write(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }), "the writer's commits do not checkpoint");
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE filler (data BLOB)");
                    // About 8 MB: twice the 1,000 pages past which a commit of SQLite's own would checkpoint.
                    s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ") "
                            + "INSERT INTO filler SELECT randomblob(" + ROW_BYTES + ") FROM n");
                }
                return null;
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(file) < (long) ROWS * ROW_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.size(file) >= (long) ROWS * ROW_BYTES,
                    "the rows are in the database file within 10 s: " + Files.size(file) + " bytes, WAL " + Files.size(temp.resolve("cp.db-wal")));
        }
        assertTrue(Files.notExists(temp.resolve("cp.db-wal")), "closed, the database leaves no WAL behind");
    }

    /**
     * Under writes that never pause the WAL still starts over: a copy running beside the writer never
     * finds all of it copied when a transaction begins, so it grew by gigabytes under steady load,
     * until the writer finished the copy between transactions. The WAL's header counts its restarts
     * (its checkpoint sequence number).
     */
    @Test
    void underSteadyWritesTheWalStartsOverAndStaysSmall() throws Exception {
        Path file = temp.resolve("steady.db");
        Path wal = temp.resolve("steady.db-wal");
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + file)))) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)");
                    s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
                            + "INSERT INTO filler SELECT i, randomblob(" + ROW_BYTES + ") FROM n");
                }
                return null;
            });
            int restartsBefore = walRestarts(wal);
            long written = 0;
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                // Each commit writes its hundred pages to the WAL again: about 400 KB a transaction.
                db.write(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("UPDATE filler SET data = randomblob(" + ROW_BYTES + ")");
                    }
                    return null;
                });
                written += 100L * 4_096;
                // Reads between the writes: a reader left holding its snapshot would keep the WAL from starting over.
                assertEquals(100L, (long) db.read(c -> Rows.queryOne(c, "SELECT count(*) FROM filler", List.of(), rs -> rs.getLong(1))));
            }
            int restarts = walRestarts(wal) - restartsBefore;
            long walBytes = Files.size(wal);
            assertTrue(restarts >= 1, "the WAL started over during 3 s of writes (" + written / 1_048_576 + " MB of pages written, WAL "
                    + walBytes / 1_048_576 + " MB)");
            assertTrue(walBytes < written / 2 || walBytes <= SqliteCheckpointer.WAL_SIZE_LIMIT,
                    "the WAL stays well under what was written: " + walBytes + " of " + written + " bytes");
        }
    }

    /** The checkpoint sequence number of the WAL's header (bytes 12-15, big-endian): it grows by one each time the WAL starts over. */
    private static int walRestarts(Path wal) throws Exception {
        byte[] header = new byte[16];
        try (InputStream in = Files.newInputStream(wal)) {
            assertEquals(16, in.readNBytes(header, 0, 16), "a WAL header");
        }
        return ByteBuffer.wrap(header, 12, 4).getInt();
    }
}
