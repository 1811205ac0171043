package org.openprefect.migrations;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * Real databases for tests: SQLite files, and throw-away databases on the local PostgreSQL
 * (127.0.0.1:5432, user postgres, trust auth; override with OPENPREFECT_TEST_PG_URL).
 */
public final class TestDatabases {
    public static final String PG_ADMIN_URL = System.getenv().getOrDefault("OPENPREFECT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String PG_USER = System.getenv().getOrDefault("OPENPREFECT_TEST_PG_USER", "postgres");

    private TestDatabases() {
    }

    public static Connection sqlite(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("PRAGMA busy_timeout = 60000");
            s.execute("PRAGMA journal_mode = WAL");
        }
        return c;
    }

    public static Connection postgresAdmin() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PG_USER);
        try {
            return DriverManager.getConnection(PG_ADMIN_URL, p);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL is not reachable at " + PG_ADMIN_URL + " (" + e.getMessage()
                    + "); start it with bin/start-postgres.sh. PostgreSQL tests skipped.");
            throw e;
        }
    }

    /** Creates an empty database and returns its name. */
    public static String createPostgresDatabase() throws SQLException {
        String name = "openprefect_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = postgresAdmin(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    public static Connection postgres(String database) throws SQLException {
        return postgres(database, PG_USER);
    }

    public static Connection postgres(String database, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection(PG_ADMIN_URL.replaceFirst("/[^/]*$", "/" + database), p);
    }

    public static void dropPostgresDatabase(String name) throws SQLException {
        try (Connection admin = postgresAdmin(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
