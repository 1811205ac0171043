package org.openprefect.migrations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The migration contract on real SQLite files. */
class SqliteMigratorTest extends MigratorContract {
    @TempDir
    Path temp;

    @Override
    Connection connect() throws SQLException {
        return TestDatabases.sqlite(temp.resolve("prefect.db"));
    }

    @Override
    Connection connectToAnotherDatabase() throws SQLException {
        return TestDatabases.sqlite(temp.resolve("other.db"));
    }

    @Override
    String nowSql() {
        return "'2026-11-28 10:00:00.000000'";
    }

    @Override
    String trueLiteral() {
        return "1";
    }

    @Test
    void oldOrJsonlessSqliteIsRefusedWithTheReason() {
        assertTrue(SchemaGuards.sqliteProblem("3.23.1", true).orElseThrow().contains("3.24.0 or newer"));
        assertTrue(SchemaGuards.sqliteProblem("3.45.0", false).orElseThrow().contains("JSON functions"));
        assertTrue(SchemaGuards.sqliteProblem("3.24.0", true).isEmpty());
        assertTrue(SchemaGuards.sqliteProblem("3.50.3", true).isEmpty());
        assertEquals(1, SchemaGuards.compareVersions("3.100.0", SchemaGuards.MIN_SQLITE));
    }
}
