package org.openprefect.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build's empty database at head ({@link SqliteTemplate}) against what running the changelog makes. */
class SqliteTemplateTest {
    @TempDir
    Path temp;

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void aNewFileFromTheTemplateIsTheSchemaTheChangelogMakesStampedNowAndItMigratesBothWays() throws Exception {
        Path fromTemplate = temp.resolve("template/prefect.db");
        assertTrue(SqliteTemplate.createIfAbsent(fromTemplate));
        try (Connection migrated = TestDatabases.sqlite(temp.resolve("migrated.db")); Connection copied = TestDatabases.sqlite(fromTemplate)) {
            new Migrator(migrated, "test").upgrade("head");
            assertEquals(SchemaSnapshot.of(migrated), SchemaSnapshot.of(copied));
            String changesets = "SELECT ID || ' ' || FILENAME || ' ' || MD5SUM || ' ' || ORDEREXECUTED FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED";
            assertEquals(rows(migrated, changesets), rows(copied, changesets));
            assertEquals(List.of(LocalDate.now(ZoneOffset.UTC).toString()), rows(copied, "SELECT DISTINCT date(DATEEXECUTED) FROM DATABASECHANGELOG"),
                    "applied when the file was made, not when the build made the template");
            assertEquals(1, rows(copied, "SELECT DISTINCT DEPLOYMENT_ID FROM DATABASECHANGELOG").size());
            assertTrue(new Migrator(copied, "test").isAtHead());

            new Migrator(copied, "test").downgrade("base");
            assertEquals(List.of(), rows(copied, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    + "AND upper(name) NOT LIKE 'DATABASECHANGELOG%'"), "every revision rolls back from the copy");
            new Migrator(copied, "test").upgrade("head");
            assertEquals(SchemaSnapshot.of(migrated), SchemaSnapshot.of(copied));
        }
        try (var left = Files.list(fromTemplate.getParent())) {
            assertEquals(List.of("prefect.db"), left.map(p -> p.getFileName().toString()).filter(n -> !n.contains("-wal") && !n.contains("-shm")).toList(),
                    "no temporary copy is left beside it");
        }
    }

    @Test
    void anExistingFileIsNeverReplaced() throws Exception {
        Path existing = temp.resolve("prefect.db");
        byte[] content = "not a template".getBytes();
        Files.write(existing, content);
        assertFalse(SqliteTemplate.createIfAbsent(existing));
        assertArrayEquals(content, Files.readAllBytes(existing));
        try (var left = Files.list(temp)) {
            assertEquals(1, left.count());
        }
    }
}
