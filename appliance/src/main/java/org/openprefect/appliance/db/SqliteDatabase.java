package org.openprefect.appliance.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openprefect.appliance.common.BatchingQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * SQLite with one writer: every write runs on a single thread that owns the only writing
 * connection, so concurrent requests queue instead of failing with "database is locked" (upstream
 * answers 503 there). Writes that queued up meanwhile share one commit (group commit), each in its
 * own savepoint so one failing write never takes the others with it, and each caller hears back
 * only once its write is committed; a large write ({@link #writeAlone}) commits on its own. Reads
 * use a small pool; WAL lets them run beside the writer.
 */
final class SqliteDatabase extends Database {
    private static final int MAX_GROUP = 64;
    private static final Duration STATISTICS_DELAY = Duration.ofSeconds(10);

    private final Connection writer;
    private final HikariDataSource readers;
    private final SqliteCheckpointer checkpointer;
    private final BatchingQueue<WriteTask<?>> queue;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    SqliteDatabase(DatabaseConfig config) {
        super(config);
        try {
            Connection connection = DirectConnections.sqlite(config, true);
            // An in-memory database has no WAL.
            this.checkpointer = config.url().isInMemory() ? null : SqliteCheckpointer.takeOver(connection, config);
            this.writer = echoing(StatementCache.wrap(connection));
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Cannot open the SQLite database at " + config.url().masked() + ": " + e.getMessage(), e);
        }
        // A shared in-memory database has table-level locks between connections: keep it on one.
        this.readers = config.url().isInMemory() ? null : readerPool();
        this.queue = new BatchingQueue<>("sqlite-writer", Integer.MAX_VALUE, MAX_GROUP, this::runGroup);
        gatherStatisticsInTheBackground();
    }

    /**
     * SQLite's advice for a long-lived connection: {@code PRAGMA optimize} after open, which analyzes
     * the tables whose statistics are missing or stale (after an upgrade added indexes, or a table
     * grew tenfold) and is otherwise a no-op. Without statistics the planner sorts a day of a
     * million runs for a page of 44 (1.1 s) instead of walking the index already in order (20 ms).
     * It runs as a write once the start has settled, so the start itself never waits for it: the
     * first time on a million runs it takes ~20 s, during which writes queue.
     */
    private void gatherStatisticsInTheBackground() {
        Thread.ofVirtual().name("sqlite-optimize").start(() -> {
            try {
                Thread.sleep(STATISTICS_DELAY);
                write(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA optimize=0x10002");
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // Statistics only make plans better; the server works without them (and may be closed by now).
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private HikariDataSource readerPool() {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sqlite-readers");
        hc.setJdbcUrl(config.url().jdbcUrl());
        hc.setDataSourceProperties(DirectConnections.sqlitePragmas(config, false).toProperties());
        hc.setMaximumPoolSize(Math.max(2, config.poolSize()));
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(config.poolTimeout().toMillis());
        hc.setMaxLifetime(config.poolRecycle().toMillis());
        hc.setAutoCommit(true);
        return new HikariDataSource(hc);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Connection mine = current.get();
        if (mine != null) {
            return run(work, mine);
        }
        if (readers == null) {
            return write(work);
        }
        try (Connection c = echoing(readers.getConnection())) {
            return run(work, c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("SQLite database at " + config.url().masked() + " is unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return queued(work, false);
    }

    @Override
    public <T> T writeAlone(SqlWork<T> work) {
        return queued(work, true);
    }

    private <T> T queued(SqlWork<T> work, boolean alone) {
        if (current.get() != null) {
            return run(work, current.get());
        }
        WriteTask<T> task = new WriteTask<>(work, alone);
        if (!queue.offer(task)) {
            throw new DatabaseUnavailableException("The database is closed.", null);
        }
        try {
            return task.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("Interrupted while waiting for the database writer.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** One queued write and the future its caller waits on. */
    private static final class WriteTask<T> {
        final SqlWork<T> work;
        /** Written in a transaction of its own (Database.writeAlone). */
        final boolean alone;
        final CompletableFuture<T> result = new CompletableFuture<>();
        AfterCommit.Collected<T> done;
        RuntimeException failure;

        WriteTask(SqlWork<T> work, boolean alone) {
            this.work = work;
            this.alone = alone;
        }

        /** After the group's commit (or its failure): runs what the work registered to follow the commit, then answers the caller. */
        void complete() {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            try {
                result.complete(done.committed());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * The writes queued together, in their order: those that may share a commit share one, and a
     * write alone gets a transaction of its own between them.
     */
    private void runGroup(List<WriteTask<?>> group) {
        int shared = 0;
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i).alone) {
                if (i > shared) {
                    runTransaction(group.subList(shared, i));
                }
                runTransaction(group.subList(i, i + 1));
                shared = i + 1;
            }
        }
        if (shared < group.size()) {
            runTransaction(group.subList(shared, group.size()));
        }
    }

    private void runTransaction(List<WriteTask<?>> group) {
        current.set(writer);
        try {
            writer.setAutoCommit(false);
            if (group.size() == 1) {
                runAlone(group.get(0));
            } else {
                for (WriteTask<?> task : group) {
                    runInSavepoint(task);
                }
            }
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            RuntimeException failure = e instanceof SQLException sql ? new DataAccessException(sql) : (RuntimeException) e;
            group.forEach(task -> task.failure = task.failure != null ? task.failure : failure);
        } finally {
            current.remove();
            try {
                writer.setAutoCommit(true);
            } catch (SQLException ignored) {
                // The next group sets it again.
            }
        }
        group.forEach(WriteTask::complete);
        if (checkpointer != null) {
            checkpointer.finishCopy(writer);
        }
    }

    /**
     * Alone in its transaction a task needs no savepoint: its failure rolls the whole transaction back
     * (runTransaction). Under a savepoint SQLite keeps a copy of every page the task changes, to undo
     * it: for a batch of a thousand task-run events that was more bytes written than the WAL itself,
     * which is why such a batch is written alone (writeAlone).
     */
    private <T> void runAlone(WriteTask<T> task) throws SQLException {
        task.done = AfterCommit.collect(task.work, writer);
    }

    private <T> void runInSavepoint(WriteTask<T> task) throws SQLException {
        Savepoint savepoint = writer.setSavepoint();
        try {
            task.done = AfterCommit.collect(task.work, writer);
            writer.releaseSavepoint(savepoint);
        } catch (SQLException | RuntimeException e) {
            writer.rollback(savepoint);
            writer.releaseSavepoint(savepoint);
            task.failure = e instanceof SQLException sql ? new DataAccessException(sql) : (RuntimeException) e;
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // The group already failed; the rollback's own failure adds nothing.
        }
    }

    private static <T> T run(SqlWork<T> work, Connection c) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    @Override
    public Connection openDedicatedConnection() throws SQLException {
        return DirectConnections.sqlite(config, false);
    }

    @Override
    public void close() {
        queue.close();
        if (readers != null) {
            readers.close();
        }
        if (checkpointer != null) {
            checkpointer.close();
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // Closing at shutdown; nothing left to protect.
        }
    }
}
