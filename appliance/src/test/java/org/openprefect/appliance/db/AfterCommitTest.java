package org.openprefect.appliance.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Actions registered during a write run only after it commits, and never when it rolls back. */
class AfterCommitTest {
    @TempDir
    Path temp;

    @Test
    void actionsFollowTheCommitAndAreDroppedWithARollback() throws Exception {
        try (Database db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("a.db"))))) {
            db.migrateToHead("test");
            List<String> seen = new CopyOnWriteArrayList<>();
            assertThrows(IllegalStateException.class, () -> db.write(c -> {
                insertFlow(c, "00000000-0000-4000-8000-000000000001", "rolled-back");
                AfterCommit.run(() -> seen.add("rolled-back"));
                throw new IllegalStateException("the write fails after registering");
            }));
            assertEquals(List.of(), seen, "a rolled-back write announces nothing");

            db.write(c -> {
                insertFlow(c, "00000000-0000-4000-8000-000000000002", "kept");
                AfterCommit.run(() -> seen.add("kept:" + countFlows(db)));
                return null;
            });
            assertEquals(List.of("kept:1"), seen, "the action ran after the commit: the row was already visible to others");

            AfterCommit.run(() -> seen.add("outside"));
            assertEquals("outside", seen.getLast(), "outside a write the action runs at once");
        }
    }

    private static void insertFlow(Connection c, String id, String name) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flow (id, name) VALUES ('" + id + "', '" + name + "')");
        }
    }

    /** Reads on a reader connection of its own, outside the write. */
    private static int countFlows(Database db) {
        try (var c = db.openDedicatedConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM flow")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
