package org.openprefect.it.blocks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.sql.Connection;

/** The blocks, variables and artifacts contract on PostgreSQL, in a fresh database of its own. */
class PostgresBlocksTest extends BlocksContract {
    private static RunningServer server;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        database = Sql.createPostgresDatabase();
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-blocks-pg-"))
                .env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)));
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
    Connection database() throws Exception {
        return Sql.postgres(database);
    }
}
