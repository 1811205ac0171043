package org.openprefect.appliance.db;

import org.openprefect.appliance.settings.Settings;

import java.time.Duration;

/**
 * How to reach and pool the database, from upstream's {@code PREFECT_SERVER_DATABASE_*} settings.
 *
 * @param timeout           SQLite busy timeout; PostgreSQL per-statement timeout
 * @param connectTimeout    PostgreSQL connect timeout
 * @param poolSize          connections kept open (PostgreSQL; SQLite readers)
 * @param maxOverflow       extra connections allowed under load (PostgreSQL)
 * @param poolRecycle       a connection older than this is replaced
 * @param poolTimeout       how long a request waits for a free connection
 * @param migrationTimeout  statement timeout while migrating, or null for none
 * @param echo              log every SQL statement
 */
public record DatabaseConfig(DatabaseUrl url, Duration timeout, Duration connectTimeout, int poolSize, int maxOverflow,
                             Duration poolRecycle, Duration poolTimeout, Duration migrationTimeout, boolean echo) {

    public static DatabaseConfig from(Settings settings) {
        return new DatabaseConfig(
                DatabaseUrl.parse(settings.text("server.database.connection_url")),
                seconds(settings, "server.database.timeout", 10),
                seconds(settings, "server.database.connection_timeout", 5),
                intOr(settings, "server.database.sqlalchemy.pool_size", 5),
                intOr(settings, "server.database.sqlalchemy.max_overflow", 10),
                seconds(settings, "server.database.sqlalchemy.pool_recycle", 3600),
                seconds(settings, "server.database.sqlalchemy.pool_timeout", 30),
                settings.value("server.database.migration_timeout").isNull() ? null : seconds(settings, "server.database.migration_timeout", 0),
                settings.bool("server.database.echo"));
    }

    /** Defaults for tools and tests that have only a URL. */
    public static DatabaseConfig of(DatabaseUrl url) {
        return new DatabaseConfig(url, Duration.ofSeconds(10), Duration.ofSeconds(5), 5, 10,
                Duration.ofHours(1), Duration.ofSeconds(30), null, false);
    }

    private static Duration seconds(Settings settings, String path, double fallback) {
        double value = settings.value(path).isNull() ? fallback : settings.number(path);
        return Duration.ofMillis((long) (value * 1000));
    }

    private static int intOr(Settings settings, String path, int fallback) {
        return settings.value(path).isNull() ? fallback : settings.integer(path);
    }
}
