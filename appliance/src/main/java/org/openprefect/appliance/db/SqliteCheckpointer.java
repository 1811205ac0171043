package org.openprefect.appliance.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies the WAL's pages into the database file from a connection and a thread of their own, twice
 * a second, where SQLite would otherwise do it inside a commit of the writer's once the WAL passes
 * 1,000 pages (the writer's connection has {@code wal_autocheckpoint=0}). Under a stream of task-run
 * events every commit passed it: the one writer, which every write waits for, spent about half of
 * its file time reading the WAL back, writing the database file and syncing both (strace), and took
 * in 15-28 % more events a second without it. A checkpoint is {@code PASSIVE}, as SQLite's own is: it
 * copies what no reader still needs and never waits for a reader or the writer; the writer starts the
 * WAL from its beginning again once all of it has been copied, as before.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqliteCheckpointer.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(500);

    private final Connection connection;
    private final Thread thread;
    private volatile boolean closed;

    private SqliteCheckpointer(DatabaseConfig config) throws SQLException {
        this.connection = DirectConnections.sqlite(config, false);
        // A platform thread: a checkpoint is one long native call, which would pin a virtual thread's carrier.
        this.thread = Thread.ofPlatform().daemon().name("sqlite-checkpoint").start(this::run);
    }

    /** Turns off SQLite's checkpoints in the commits of {@code writer} and starts doing them here instead. */
    static SqliteCheckpointer takeOver(Connection writer, DatabaseConfig config) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
        }
        return new SqliteCheckpointer(config);
    }

    private void run() {
        boolean warned = false;
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                warned = false;
            } catch (SQLException e) {
                if (!closed && !warned) {
                    // Once per spell of failures: the writer's own commits fail too when the disk does.
                    LOG.log(Level.WARNING, "Could not copy the SQLite WAL into the database file; trying again every "
                            + INTERVAL.toMillis() + " ms.", e);
                    warned = true;
                }
            }
        }
    }

    /** Stops after the checkpoint under way, if any; the last connection to close checkpoints the rest. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing at shutdown; the writer's connection closes after this one.
        }
    }
}
