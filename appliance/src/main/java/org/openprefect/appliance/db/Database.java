package org.openprefect.appliance.db;

import org.openprefect.migrations.Migrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The server's database: opens connections with the per-dialect session settings upstream uses
 * and answers the few questions the server asks before features exist (is it reachable, what
 * revision is it at).
 */
public final class Database implements AutoCloseable {
    private final DatabaseUrl url;
    private final int sqliteBusyTimeoutMillis;
    /** Keeps a shared in-memory SQLite database alive for the life of the server. */
    private final Connection keepAlive;

    public Database(DatabaseUrl url, double timeoutSeconds) {
        this.url = url;
        this.sqliteBusyTimeoutMillis = (int) Math.max(60_000, timeoutSeconds * 1000);
        createSqliteDirectory(url);
        try {
            this.keepAlive = url.isInMemory() ? connect() : null;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open in-memory database: " + e.getMessage(), e);
        }
    }

    /** SQLite creates the file but not its folder; upstream's default lives in a PREFECT_HOME that may not exist yet. */
    private static void createSqliteDirectory(DatabaseUrl url) {
        String file = url.sqlitePath();
        if (file == null) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the database folder " + parent + ": " + e.getMessage(), e);
        }
    }

    public DatabaseUrl url() {
        return url;
    }

    public DatabaseKind kind() {
        return url.kind();
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url.jdbcUrl(), url.properties());
        if (url.kind() == DatabaseKind.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + sqliteBusyTimeoutMillis);
                s.execute("PRAGMA foreign_keys = ON");
                if (!url.isInMemory()) {
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA synchronous = NORMAL");
                }
            }
        }
        return c;
    }

    /** Applies pending revisions. */
    public void migrateToHead(String buildVersion) throws SQLException {
        try (Connection c = connect()) {
            new Migrator(c, buildVersion).upgrade("head");
        }
    }

    public boolean hasPendingMigrations(String buildVersion) throws SQLException {
        try (Connection c = connect()) {
            Migrator migrator = new Migrator(c, buildVersion);
            if (!migrator.unknownRevisions().isEmpty()) {
                // The upgrade call names the newer build; it refuses without changing anything.
                migrator.upgrade("head");
            }
            return migrator.hasPending();
        }
    }

    /** True when a round trip to the database works. */
    public boolean isReachable() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public Optional<String> schemaRevision() {
        try (Connection c = connect()) {
            return new Migrator(c, "unknown").current();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (keepAlive != null) {
            try {
                keepAlive.close();
            } catch (SQLException ignored) {
                // The process is ending; the in-memory database goes with it.
            }
        }
    }
}
