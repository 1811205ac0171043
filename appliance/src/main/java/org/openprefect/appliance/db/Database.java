package org.openprefect.appliance.db;

import org.openprefect.migrations.Migrator;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The server's database. Features run their SQL inside {@link #read} or {@link #write}; a write
 * either fully happens or not at all. Each dialect decides how connections are pooled and how
 * concurrent writers are kept from failing.
 */
public abstract sealed class Database implements AutoCloseable permits SqliteDatabase, PostgresDatabase {
    protected final DatabaseConfig config;

    protected Database(DatabaseConfig config) {
        this.config = config;
    }

    public static Database open(DatabaseConfig config) {
        return config.url().kind() == DatabaseKind.SQLITE ? new SqliteDatabase(config) : new PostgresDatabase(config);
    }

    public DatabaseUrl url() {
        return config.url();
    }

    public DatabaseKind kind() {
        return config.url().kind();
    }

    public SqlDialect dialect() {
        return kind() == DatabaseKind.SQLITE ? SqlDialect.SQLITE : SqlDialect.POSTGRESQL;
    }

    /** Runs read-only work; it sees everything committed before it started. */
    public abstract <T> T read(SqlWork<T> work);

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public abstract <T> T write(SqlWork<T> work);

    /**
     * As {@link #write}, for work that changes many rows at once (a batch of events): it gets a
     * transaction of its own, never shared with other writes. Every write is its own transaction on
     * PostgreSQL already; SQLite's single writer shares a commit between the writes queued together.
     */
    public <T> T writeAlone(SqlWork<T> work) {
        return write(work);
    }

    /** A connection of its own, outside the pools, for migrations and maintenance. */
    public abstract Connection openDedicatedConnection() throws SQLException;

    /** True when a round trip to the database works. */
    public boolean isReachable() {
        try {
            return read(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                return true;
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Upgrades to this build's head; on a database already there, one query and no Liquibase (the common start). */
    public void migrateToHead(String buildVersion) throws SQLException {
        try (Connection c = openDedicatedConnection()) {
            Migrator migrator = new Migrator(c, buildVersion);
            if (!migrator.isAtHead()) {
                migrator.upgrade("head");
            }
        }
    }

    /** Whether revisions are pending; a database ahead of this build is refused with the migrator's message. */
    public boolean hasPendingMigrations(String buildVersion) throws SQLException {
        try (Connection c = openDedicatedConnection()) {
            Migrator migrator = new Migrator(c, buildVersion);
            if (migrator.isAtHead()) {
                return false;
            }
            migrator.requireKnownRevisions();
            return migrator.hasPending();
        }
    }

    public Optional<String> schemaRevision() {
        try (Connection c = openDedicatedConnection()) {
            return new Migrator(c, "unknown").current();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    protected Connection echoing(Connection connection) {
        return config.echo() ? SqlEcho.wrap(connection) : connection;
    }

    @Override
    public abstract void close();
}
