package org.openprefect.it.concurrency;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.sql.Connection;

/** The concurrency contract on PostgreSQL, in a database of its own. */
class PostgresConcurrencyTest extends ConcurrencyContract {
    private static RunningServer server;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        database = Sql.createPostgresDatabase();
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-concurrency-pg-"))
                .env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database))
                .env("PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Sql.dropPostgresDatabase(database);
    }

    @Override
    RunningServer server() {
        return server;
    }

    @Override
    void expireAllLeases() throws Exception {
        try (Connection c = Sql.postgres(database)) {
            Sql.exec(c, "UPDATE concurrency_lease SET expires = now() - interval '1 hour'");
        }
    }
}
