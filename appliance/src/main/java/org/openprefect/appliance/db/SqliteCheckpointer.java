package org.openprefect.appliance.db;

import java.sql.Connection;
import java.sql.ResultSet;
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
 * copies what no reader still needs and never waits for a reader or the writer.
 *
 * <p>The WAL starts from its beginning again only when a write transaction begins with all of it
 * copied, which a copy running beside a busy writer never sees: under steady load the WAL grew by
 * gigabytes. So once the WAL is past {@link #RESTART_FRAMES}, the writer, between two transactions,
 * copies the little that arrived since this thread's copy ({@link #finishCopy}); its next
 * transaction then starts the WAL over, and {@code journal_size_limit} truncates the file.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqliteCheckpointer.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(500);
    /** SQLite's own checkpoint threshold (4 MB of 4 KiB pages). */
    static final int RESTART_FRAMES = 1_000;
    /** What the WAL file is cut back to when it starts over (SQLite leaves it at its largest otherwise). */
    static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;

    private final Connection connection;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean finishWanted;

    private SqliteCheckpointer(DatabaseConfig config) throws SQLException {
        this.connection = DirectConnections.sqlite(config, false);
        // A platform thread: a checkpoint is one long native call, which would pin a virtual thread's carrier.
        this.thread = Thread.ofPlatform().daemon().name("sqlite-checkpoint").start(this::run);
    }

    /** Turns off SQLite's checkpoints in the commits of {@code writer} and starts doing them here instead. */
    static SqliteCheckpointer takeOver(Connection writer, DatabaseConfig config) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
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
            try {
                finishWanted = checkpoint(connection) >= RESTART_FRAMES;
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

    /** Copies what it can of the WAL; returns the WAL's length in frames (-1 when another checkpoint was under way). */
    private static int checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            // One row: busy (1 when another connection was checkpointing), frames in the WAL, frames copied.
            return rs.next() && rs.getInt(1) == 0 ? rs.getInt(2) : -1;
        }
    }

    /**
     * Called by the writer between transactions: when this thread's last copy found the WAL past
     * {@link #RESTART_FRAMES}, copies the rest, so that the writer's next transaction starts the WAL
     * from its beginning (unless a reader still needs some of it; then a later call tries again).
     */
    void finishCopy(Connection writer) {
        if (!finishWanted) {
            return;
        }
        finishWanted = false;
        try {
            checkpoint(writer);
        } catch (SQLException e) {
            // This thread's own copies go on; their failures are the ones logged.
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
