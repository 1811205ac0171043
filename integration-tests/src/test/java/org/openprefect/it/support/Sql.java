package org.openprefect.it.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/** Direct SQL against the databases under test, to set up situations and check what was stored. */
public final class Sql {
    public static final String PG_HOST = "127.0.0.1:5432";

    private Sql() {
    }

    public static Connection sqlite(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    public static Connection postgres(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/" + database, p);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL is not reachable at " + PG_HOST + " (" + e.getMessage()
                    + "); start it with bin/start-postgres.sh. PostgreSQL tests skipped.");
            throw e;
        }
    }

    /** A fresh database on the local PostgreSQL; drop it with {@link #dropPostgresDatabase}. */
    public static String createPostgresDatabase() throws SQLException {
        String name = "openprefect_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = postgres("postgres")) {
            exec(admin, "CREATE DATABASE " + name);
        }
        return name;
    }

    public static void dropPostgresDatabase(String name) throws SQLException {
        try (Connection admin = postgres("postgres")) {
            exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public static String postgresUrl(String database) {
        return "postgresql+asyncpg://postgres@" + PG_HOST + "/" + database;
    }

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
