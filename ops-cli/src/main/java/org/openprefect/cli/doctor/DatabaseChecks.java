package org.openprefect.cli.doctor;

import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseKind;
import org.openprefect.appliance.db.DirectConnections;
import org.openprefect.migrations.SchemaGuards;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The database section: can we connect, and for PostgreSQL its version, pg_trgm, search_path and connection budget. */
final class DatabaseChecks {
    static final String SECTION = "database";
    static final int[] MIN_POSTGRES = {14, 9};
    private static final double SLOW_ROUND_TRIP_MS = 50;

    private DatabaseChecks() {
    }

    static List<Finding> run(DatabaseConfig config) {
        List<Finding> out = new ArrayList<>();
        long started = System.nanoTime();
        try (Connection c = DirectConnections.open(config); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
            }
            double millis = (System.nanoTime() - started) / 1e6;
            out.add(Finding.ok(SECTION, "connection", "Connected to " + config.url().masked() + " in " + Math.round(millis) + " ms."));
            long t0 = System.nanoTime();
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
            }
            double roundTrip = (System.nanoTime() - t0) / 1e6;
            out.add(roundTrip > SLOW_ROUND_TRIP_MS
                    ? Finding.warn(SECTION, "latency", String.format("A query round trip takes %.1f ms.", roundTrip),
                    "Every API request makes several; put the database closer to the server.")
                    : Finding.ok(SECTION, "latency", String.format("A query round trip takes %.1f ms.", roundTrip)));
            if (config.url().kind() == DatabaseKind.POSTGRESQL) {
                postgres(config, s, out);
            }
        } catch (SQLException e) {
            out.add(Finding.fail(SECTION, "connection", "Cannot connect to " + config.url().masked() + ": " + firstLine(e.getMessage()),
                    "Check PREFECT_SERVER_DATABASE_CONNECTION_URL (host, port, database, user, password) and that the database is running."));
        }
        return out;
    }

    private static void postgres(DatabaseConfig config, Statement s, List<Finding> out) throws SQLException {
        String version = scalar(s, "SHOW server_version");
        out.add(SchemaGuards.compareVersions(version, MIN_POSTGRES) < 0
                ? Finding.warn(SECTION, "server-version", "PostgreSQL " + version + " is older than 14.9, which Prefect's docs require.",
                "Upgrade PostgreSQL to 14.9 or newer.")
                : Finding.ok(SECTION, "server-version", "PostgreSQL " + version + "."));
        boolean installed = "t".equals(scalar(s, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')"));
        boolean available = "t".equals(scalar(s, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')"));
        if (installed) {
            out.add(Finding.ok(SECTION, "pg_trgm", "The pg_trgm extension is installed."));
        } else if (available) {
            out.add(Finding.warn(SECTION, "pg_trgm", "The pg_trgm extension is available but not installed in this database.",
                    "The upgrade installs it when the user may; otherwise ask a DBA to run: CREATE EXTENSION IF NOT EXISTS pg_trgm;"));
        } else {
            out.add(Finding.fail(SECTION, "pg_trgm", "The PostgreSQL server does not provide the pg_trgm extension.",
                    "Install the server's contrib package (e.g. postgresql-contrib), then: CREATE EXTENSION IF NOT EXISTS pg_trgm;"));
        }
        String searchPath = scalar(s, "SHOW search_path");
        out.add(searchPath.contains("public")
                ? Finding.ok(SECTION, "search_path", "search_path is " + searchPath + ".")
                : Finding.warn(SECTION, "search_path", "search_path is " + searchPath + " without public, where pg_trgm lives.",
                "Add public to the search_path (PREFECT_SERVER_DATABASE_SQLALCHEMY_CONNECT_ARGS_SEARCH_PATH)."));
        int maxConnections = Integer.parseInt(scalar(s, "SHOW max_connections"));
        int pool = config.poolSize() + config.maxOverflow();
        out.add(pool > maxConnections / 2
                ? Finding.warn(SECTION, "max_connections", "The server may open " + pool + " connections; the database allows "
                + maxConnections + " in all.", "Lower PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE / _MAX_OVERFLOW or raise max_connections.")
                : Finding.ok(SECTION, "max_connections", "The server may open " + pool + " of the database's " + maxConnections + " connections."));
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
