package org.openprefect.appliance.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;

/** PostgreSQL through a connection pool; writers are kept apart by the database's own row locks. */
final class PostgresDatabase extends Database {
    private final HikariDataSource pool;

    PostgresDatabase(DatabaseConfig config) {
        super(config);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("postgresql");
        hc.setJdbcUrl(config.url().jdbcUrl());
        hc.setDataSourceProperties(DirectConnections.postgresProperties(config, config.timeout().toMillis()));
        hc.setMaximumPoolSize(config.poolSize() + config.maxOverflow());
        hc.setMinimumIdle(Math.min(config.poolSize(), 2));
        hc.setConnectionTimeout(Math.max(250, config.poolTimeout().toMillis()));
        hc.setMaxLifetime(Math.max(30_000, config.poolRecycle().toMillis()));
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Start even when the database is down: readiness reports it, requests answer 503.
        hc.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(hc);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = echoing(pool.getConnection())) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        try (Connection c = echoing(pool.getConnection())) {
            c.setAutoCommit(false);
            try {
                AfterCommit.Collected<T> done = AfterCommit.collect(work, c);
                c.commit();
                return done.committed();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        // Class 08 is a connection failure; pool timeouts carry no state: both are worth a retry.
        if (state == null || state.startsWith("08") || state.equals("57P01")) {
            return new DatabaseUnavailableException("PostgreSQL at " + config.url().masked() + " is unavailable: " + e.getMessage(), e);
        }
        return new DataAccessException(e);
    }

    @Override
    public Connection openDedicatedConnection() throws SQLException {
        return DirectConnections.open(config);
    }

    @Override
    public void close() {
        pool.close();
    }
}
