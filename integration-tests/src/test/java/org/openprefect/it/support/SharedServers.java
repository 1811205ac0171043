package org.openprefect.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One server on SQLite and one on PostgreSQL, started on first use and shared by the API test
 * classes of this JVM (each test makes its own flows and runs), stopped when the JVM exits.
 */
public final class SharedServers {
    private static RunningServer sqlite;
    private static RunningServer postgres;
    private static String postgresDatabase;

    private SharedServers() {
    }

    public static synchronized RunningServer sqlite() throws Exception {
        if (sqlite == null) {
            sqlite = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-sqlite-")));
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopSqlite));
        }
        return sqlite;
    }

    public static synchronized RunningServer postgres() throws Exception {
        if (postgres == null) {
            postgresDatabase = Sql.createPostgresDatabase();
            Path temp = Files.createTempDirectory("openprefect-postgres-");
            postgres = RunningServer.start(new Prefect(temp).env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(postgresDatabase)));
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServers::stopPostgres));
        }
        return postgres;
    }

    private static void stopSqlite() {
        try {
            sqlite.close();
        } catch (Exception ignored) {
            // The JVM is exiting.
        }
    }

    private static void stopPostgres() {
        try {
            postgres.close();
            Sql.dropPostgresDatabase(postgresDatabase);
        } catch (Exception ignored) {
            // The JVM is exiting.
        }
    }
}
