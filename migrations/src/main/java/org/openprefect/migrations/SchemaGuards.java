package org.openprefect.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Checks that refuse to touch a database we cannot serve well, each with a message that tells the
 * operator what to do. They run before Liquibase writes anything.
 */
public final class SchemaGuards {
    static final int[] MIN_SQLITE = {3, 24, 0};
    static final String TRGM_STATEMENT = "CREATE EXTENSION IF NOT EXISTS pg_trgm;";

    private SchemaGuards() {
    }

    /** Upserts ({@code INSERT ... ON CONFLICT}) arrived in SQLite 3.24.0; JSON functions are needed too. */
    static void requireUsableSqlite(Connection connection) throws SQLException {
        String version;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            version = rs.getString(1);
        }
        Optional<String> problem = sqliteProblem(version, hasJsonFunctions(connection));
        if (problem.isPresent()) {
            throw new MigrationException(problem.get());
        }
    }

    /** The reason an SQLite library cannot be used, or empty when it can. */
    static Optional<String> sqliteProblem(String version, boolean hasJson) {
        if (compareVersions(version, MIN_SQLITE) < 0) {
            return Optional.of("SQLite " + version + " is too old: OpenPrefect needs 3.24.0 or newer "
                    + "(INSERT ... ON CONFLICT upserts arrived in 3.24.0). Upgrade the SQLite library, or use PostgreSQL.");
        }
        if (!hasJson) {
            return Optional.of("SQLite " + version + " was built without the JSON functions, which OpenPrefect needs. "
                    + "Use an SQLite build with JSON1, or PostgreSQL.");
        }
        return Optional.empty();
    }

    private static boolean hasJsonFunctions(Connection connection) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT json_valid('[]')")) {
            return rs.next() && rs.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Compares a dotted version ("3.45.1") with {@code minimum}: negative when older. */
    public static int compareVersions(String version, int[] minimum) {
        String[] parts = version.split("\\.");
        for (int i = 0; i < minimum.length; i++) {
            int have = i < parts.length ? Integer.parseInt(parts[i].replaceAll("\\D.*$", "")) : 0;
            if (have != minimum[i]) {
                return Integer.compare(have, minimum[i]);
            }
        }
        return 0;
    }

    /**
     * pg_trgm must be installed in the database (upstream's docs require it). We create it when we
     * may; otherwise we stop and name the statement a DBA has to run.
     */
    static void requirePgTrgm(Connection connection) throws SQLException {
        if (queryBoolean(connection, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")) {
            return;
        }
        String database = queryString(connection, "SELECT current_database()");
        String user = queryString(connection, "SELECT current_user");
        if (!queryBoolean(connection, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')")) {
            throw new MigrationException("The PostgreSQL server does not provide the pg_trgm extension, which OpenPrefect needs. "
                    + "Install the server's contrib package (for example postgresql-contrib), then have a database "
                    + "administrator run, connected to database '" + database + "':\n\n    " + TRGM_STATEMENT
                    + "\n\nNothing was changed.");
        }
        boolean autoCommit = connection.getAutoCommit();
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(true);
            s.execute(TRGM_STATEMENT);
        } catch (SQLException e) {
            throw new MigrationException("The pg_trgm extension is available, but user '" + user + "' may not create it in database '"
                    + database + "' (" + e.getMessage().lines().findFirst().orElse("") + "). Ask your database administrator to run, "
                    + "connected to database '" + database + "':\n\n    " + TRGM_STATEMENT + "\n\nthen run the upgrade again. Nothing was changed.");
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** A database made by upstream Prefect is alembic's, not ours: refuse rather than mix the two. */
    static void refuseAlembicDatabase(SchemaState state, List<String> applied) throws SQLException {
        Optional<String> alembic = state.alembicRevision();
        if (alembic.isPresent() && applied.isEmpty()) {
            throw new MigrationException("This database was created by upstream Prefect (alembic revision " + alembic.get()
                    + "). OpenPrefect keeps its own schema and does not migrate upstream's in place: "
                    + "point PREFECT_SERVER_DATABASE_CONNECTION_URL at a new, empty database.");
        }
    }

    private static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
