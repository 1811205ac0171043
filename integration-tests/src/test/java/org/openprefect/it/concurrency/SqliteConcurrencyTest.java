package org.openprefect.it.concurrency;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.SqliteServer;

import java.nio.file.Files;
import java.sql.Connection;

/** The concurrency contract on a SQLite file. */
class SqliteConcurrencyTest extends ConcurrencyContract {
    private static SqliteServer sqlite;

    @BeforeAll
    static void start() throws Exception {
        sqlite = SqliteServer.start(new Prefect(Files.createTempDirectory("openprefect-concurrency-"))
                .env("PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        sqlite.close();
    }

    @Override
    RunningServer server() {
        return sqlite.server();
    }

    @Override
    void expireAllLeases() throws Exception {
        try (Connection c = sqlite.connect()) {
            Sql.exec(c, "UPDATE concurrency_lease SET expires = '2000-01-01 00:00:00.000000'");
        }
    }
}
