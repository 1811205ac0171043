package org.openprefect.it.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

/** Direct SQL against the databases under test, to set up situations and check what was stored. */
public final class Sql {
    public static final String PG_HOST = "127.0.0.1:5432";
    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

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

    /**
     * Binds a row's values for a seed written straight into the runs' tables: instants as each
     * database stores them, ids and JSON typed for PostgreSQL, the rest as they are.
     */
    public static void bind(PreparedStatement ps, boolean sqlite, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Instant t) {
                if (sqlite) {
                    ps.setString(i + 1, SQLITE_TIME.format(t));
                } else {
                    ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
                }
            } else if (v instanceof String s && !sqlite && (UUID_TEXT.matcher(s).matches() || s.startsWith("{") || s.startsWith("["))) {
                ps.setObject(i + 1, s, Types.OTHER);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}
