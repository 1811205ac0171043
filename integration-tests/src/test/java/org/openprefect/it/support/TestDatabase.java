package org.openprefect.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The database of one server under test or benchmark, by kind ("sqlite" or "postgresql"): SQLite is
 * the server's default file in its PREFECT_HOME, deleted on close (a benchmark's home is a temp
 * directory nothing else removes, and an events run leaves 700 MB); PostgreSQL is a new database on
 * the local server, set as the Prefect's connection URL and dropped on close.
 */
public final class TestDatabase implements AutoCloseable {
    private final Prefect prefect;
    private final String postgresName;
    private final boolean dropOnClose;

    private TestDatabase(Prefect prefect, String postgresName, boolean dropOnClose) {
        this.prefect = prefect;
        this.postgresName = postgresName;
        this.dropOnClose = dropOnClose;
    }

    public static TestDatabase create(String kind, Prefect prefect) throws SQLException {
        return switch (kind) {
            case "sqlite" -> new TestDatabase(prefect, null, true);
            case "postgresql" -> {
                String name = Sql.createPostgresDatabase();
                prefect.env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(name));
                yield new TestDatabase(prefect, name, true);
            }
            default -> throw new IllegalArgumentException("unknown database kind " + kind + " (sqlite or postgresql)");
        };
    }

    /**
     * A database kept between runs (a benchmark's seed): SQLite stays in the Prefect's home,
     * PostgreSQL is the database of that name, created if missing and never dropped.
     */
    public static TestDatabase kept(String kind, Prefect prefect, String postgresName) throws SQLException {
        if (kind.equals("sqlite")) {
            return new TestDatabase(prefect, null, false);
        }
        if (!kind.equals("postgresql")) {
            return create(kind, prefect); // names the kinds it knows
        }
        try (Connection admin = Sql.postgres("postgres")) {
            if (Sql.scalar(admin, "SELECT 1 FROM pg_database WHERE datname = '" + postgresName + "'") == null) {
                Sql.exec(admin, "CREATE DATABASE " + postgresName);
            }
        }
        prefect.env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(postgresName));
        return new TestDatabase(prefect, postgresName, false);
    }

    public boolean isSqlite() {
        return postgresName == null;
    }

    /** A JDBC connection to the database the server uses. */
    public Connection connect() throws SQLException {
        return isSqlite() ? Sql.sqlite(sqliteFile()) : Sql.postgres(postgresName);
    }

    private Path sqliteFile() {
        return prefect.home().resolve("prefect.db");
    }

    @Override
    public void close() throws SQLException {
        if (!dropOnClose) {
            return;
        }
        if (isSqlite()) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                try {
                    Files.deleteIfExists(Path.of(sqliteFile() + suffix));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } else {
            Sql.dropPostgresDatabase(postgresName);
        }
    }
}
