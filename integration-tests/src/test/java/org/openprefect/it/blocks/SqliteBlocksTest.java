package org.openprefect.it.blocks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

/** The blocks, variables and artifacts contract on a fresh SQLite file. */
class SqliteBlocksTest extends BlocksContract {
    private static RunningServer server;
    private static Path database;

    @BeforeAll
    static void start() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-blocks-"));
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
    Connection database() throws Exception {
        return Sql.sqlite(database);
    }
}
