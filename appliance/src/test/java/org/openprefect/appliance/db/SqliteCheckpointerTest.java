package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

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
}
