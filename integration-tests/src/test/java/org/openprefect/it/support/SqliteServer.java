package org.openprefect.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** A server of a test class's own on a fresh SQLite file, for tests that read or change the file beside it. */
public record SqliteServer(RunningServer server, Path database) implements AutoCloseable {

    /** Starts {@code prefect server start} in a new temporary home named after {@code prefix}. */
    public static SqliteServer start(String prefix) throws Exception {
        return start(new Prefect(Files.createTempDirectory(prefix)));
    }

    public static SqliteServer start(Prefect prefect) throws Exception {
        Path database = prefect.home().resolve("prefect.db");
        return new SqliteServer(RunningServer.start(prefect), database);
    }

    /** A connection to the file that waits for the server's writer instead of failing "database is locked". */
    public Connection connect() throws SQLException {
        Connection c = Sql.sqlite(database);
        Sql.exec(c, "PRAGMA busy_timeout = 10000");
        return c;
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
