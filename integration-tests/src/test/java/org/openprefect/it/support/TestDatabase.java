package org.openprefect.it.support;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database of one server under test or benchmark, by kind ("sqlite" or "postgresql"): SQLite is
 * the server's default file in its PREFECT_HOME; PostgreSQL is a new database on the local server,
 * set as the Prefect's connection URL and dropped on close.
 */
public final class TestDatabase implements AutoCloseable {
    private final Prefect prefect;
    private final String postgresName;

    private TestDatabase(Prefect prefect, String postgresName) {
        this.prefect = prefect;
        this.postgresName = postgresName;
    }

    public static TestDatabase create(String kind, Prefect prefect) throws SQLException {
        return switch (kind) {
            case "sqlite" -> new TestDatabase(prefect, null);
            case "postgresql" -> {
                String name = Sql.createPostgresDatabase();
                prefect.env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(name));
                yield new TestDatabase(prefect, name);
            }
            default -> throw new IllegalArgumentException("unknown database kind " + kind + " (sqlite or postgresql)");
        };
    }

    public boolean isSqlite() {
        return postgresName == null;
    }

    /** A JDBC connection to the database the server uses. */
    public Connection connect() throws SQLException {
        return isSqlite() ? Sql.sqlite(prefect.home().resolve("prefect.db")) : Sql.postgres(postgresName);
    }

    @Override
    public void close() throws SQLException {
        if (!isSqlite()) {
            Sql.dropPostgresDatabase(postgresName);
        }
    }
}
