package org.openprefect.appliance.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.openprefect.appliance.common.BatchingQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * SQLite with one writer: every write runs on a single thread that owns the only writing
 * connection, so concurrent requests queue instead of failing with "database is locked" (upstream
 * answers 503 there). Writes that queued up meanwhile share one commit (group commit), each in its
 * own savepoint so one failing write never takes the others with it, and each caller hears back
 * only once its write is committed. Reads use a small pool; WAL lets them run beside the writer.
 */
final class SqliteDatabase extends Database {
    private static final int MAX_GROUP = 64;

    private final Connection writer;
    private final HikariDataSource readers;
    private final BatchingQueue<WriteTask<?>> queue;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    SqliteDatabase(DatabaseConfig config) {
        super(config);
        try {
            this.writer = echoing(StatementCache.wrap(DirectConnections.sqlite(config, true)));
            // SQLite's advice for a long-lived connection: the planner's statistics, gathered with a
            // row limit so it stays quick on a big file. Without them it sorts a whole week of runs
            // for a page of 100 instead of walking the index that is already in order.
            optimize("PRAGMA optimize=0x10002");
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Cannot open the SQLite database at " + config.url().masked() + ": " + e.getMessage(), e);
        }
        // A shared in-memory database has table-level locks between connections: keep it on one.
        this.readers = config.url().isInMemory() ? null : readerPool();
        this.queue = new BatchingQueue<>("sqlite-writer", Integer.MAX_VALUE, MAX_GROUP, this::runGroup);
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
        if (current.get() != null) {
            return run(work, current.get());
        }
        WriteTask<T> task = new WriteTask<>(work);
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
        final CompletableFuture<T> result = new CompletableFuture<>();
        AfterCommit.Collected<T> done;
        RuntimeException failure;

        WriteTask(SqlWork<T> work) {
            this.work = work;
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

    private void runGroup(List<WriteTask<?>> group) {
        current.set(writer);
        try {
            writer.setAutoCommit(false);
            for (WriteTask<?> task : group) {
                runInSavepoint(task);
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

    private void optimize(String pragma) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute(pragma);
        }
    }

    @Override
    public void close() {
        queue.close();
        try {
            optimize("PRAGMA optimize");
        } catch (SQLException ignored) {
            // Statistics are an optimisation; the next start gathers them again.
        }
        if (readers != null) {
            readers.close();
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // Closing at shutdown; nothing left to protect.
        }
    }
}
