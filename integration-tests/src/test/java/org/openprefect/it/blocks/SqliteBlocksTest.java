package org.openprefect.it.blocks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SqliteServer;

import java.sql.Connection;

/** The blocks, variables and artifacts contract on a fresh SQLite file. */
class SqliteBlocksTest extends BlocksContract {
    private static SqliteServer sqlite;

    @BeforeAll
    static void start() throws Exception {
        sqlite = SqliteServer.start("openprefect-blocks-");
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
    Connection database() throws Exception {
        return sqlite.connect();
    }
}
