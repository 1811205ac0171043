package org.openprefect.it.concurrency;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

/** The concurrency contract on a SQLite file. */
class SqliteConcurrencyTest extends ConcurrencyContract {
    private static RunningServer server;
    private static Path database;

    @BeforeAll
    static void start() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-concurrency-"))
                .env("PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS", "1");
        database = prefect.home().resolve("prefect.db");
        server = RunningServer.start(prefect);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    RunningServer server() {
        return server;
    }

    @Override
    void expireAllLeases() throws Exception {
        try (Connection c = Sql.sqlite(database)) {
            Sql.exec(c, "UPDATE concurrency_lease SET expires = '2000-01-01 00:00:00.000000'");
        }
    }
}
