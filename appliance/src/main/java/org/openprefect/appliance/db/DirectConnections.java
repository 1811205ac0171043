package org.openprefect.appliance.db;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Single connections outside any pool: for migrations, maintenance commands and the SQLite writer. */
public final class DirectConnections {
    /** SQLite's page cache per connection (docs/security.md#memory). */
    static final int WRITER_CACHE_KIB = 16 * 1024;
    static final int READER_CACHE_KIB = 4 * 1024;

    private DirectConnections() {
    }

    public static Connection open(DatabaseConfig config) throws SQLException {
        return config.url().kind() == DatabaseKind.SQLITE ? sqlite(config, false) : postgres(config, config.migrationTimeout() == null
                ? null : config.migrationTimeout().toMillis());
    }

    static Connection sqlite(DatabaseConfig config, boolean forWriting) throws SQLException {
        createFolder(config.url());
        return DriverManager.getConnection(config.url().jdbcUrl(), sqlitePragmas(config, forWriting).toProperties());
    }

    static SQLiteConfig sqlitePragmas(DatabaseConfig config, boolean forWriting) {
        SQLiteConfig c = new SQLiteConfig();
        c.enforceForeignKeys(true);
        c.setBusyTimeout((int) Math.max(60_000, config.timeout().toMillis()));
        if (!config.url().isInMemory()) {
            c.setJournalMode(SQLiteConfig.JournalMode.WAL);
            c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        // Upstream's 20,000 pages is up to 80 MB per connection, and the writer and each reader fill theirs
        // as the database grows (RSS 300 MB after a minute of load, issue 19); the operating system
        // caches the file anyway. Negative: KiB, not pages.
        c.setCacheSize(forWriting ? -WRITER_CACHE_KIB : -READER_CACHE_KIB);
        if (forWriting) {
            // Take the write lock at BEGIN, so a migration in another process makes us wait, not fail midway.
            c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        }
        return c;
    }

    static Properties postgresProperties(DatabaseConfig config, Long statementTimeoutMillis) {
        Properties props = new Properties();
        props.putAll(config.url().properties());
        props.setProperty("connectTimeout", Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        props.putIfAbsent("ApplicationName", "openprefect");
        // Bind every value as untyped text and let PostgreSQL cast it to the column's type (uuid,
        // jsonb, timestamptz, interval), so one SQL text with plain setString works on both dialects.
        props.putIfAbsent("stringtype", "unspecified");
        if (statementTimeoutMillis != null) {
            props.setProperty("options", (props.getProperty("options", "") + " -c statement_timeout=" + statementTimeoutMillis).strip());
        }
        return props;
    }

    private static Connection postgres(DatabaseConfig config, Long statementTimeoutMillis) throws SQLException {
        return DriverManager.getConnection(config.url().jdbcUrl(), postgresProperties(config, statementTimeoutMillis));
    }

    /** SQLite creates the file but not its folder; upstream's default lives in a PREFECT_HOME that may not exist yet. */
    private static void createFolder(DatabaseUrl url) throws SQLException {
        String file = url.sqlitePath();
        if (file == null) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new SQLException("Cannot create the database folder " + parent + ": " + e.getMessage(), e);
        }
    }
}
