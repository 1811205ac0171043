package org.openprefect.appliance.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SQLite with one writer: every write runs on a single thread that owns the only writing
 * connection, so concurrent requests queue instead of failing with "database is locked" (upstream
 * answers 503 there). Reads use a small pool; WAL lets them run beside the writer.
 */
final class SqliteDatabase extends Database {
    private final ExecutorService writerThread;
    private final Connection writer;
    private final HikariDataSource readers;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    SqliteDatabase(DatabaseConfig config) {
        super(config);
        try {
            this.writer = echoing(DirectConnections.sqlite(config, true));
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Cannot open the SQLite database at " + config.url().masked() + ": " + e.getMessage(), e);
        }
        this.writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sqlite-writer");
            t.setDaemon(true);
            return t;
        });
        // A shared in-memory database has table-level locks between connections: keep it on one.
        this.readers = config.url().isInMemory() ? null : readerPool();
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
            throw unavailable(e);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        if (current.get() != null) {
            return run(work, current.get());
        }
        Future<T> result = writerThread.submit(() -> inTransaction(work));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
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

    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        current.set(writer);
        try {
            writer.setAutoCommit(false);
            T value = work.run(writer);
            writer.commit();
            return value;
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            if (e instanceof SQLException sql) {
                throw new DataAccessException(sql);
            }
            throw e;
        } finally {
            current.remove();
            writer.setAutoCommit(true);
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

    private DatabaseUnavailableException unavailable(SQLException e) {
        return new DatabaseUnavailableException("SQLite database at " + config.url().masked() + " is unavailable: " + e.getMessage(), e);
    }


    @Override
    public void close() {
        writerThread.shutdown();
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
