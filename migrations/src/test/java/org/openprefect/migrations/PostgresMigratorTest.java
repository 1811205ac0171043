package org.openprefect.migrations;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The migration contract on the real local PostgreSQL, each test in databases of its own. */
class PostgresMigratorTest extends MigratorContract {
    private final List<String> databases = new ArrayList<>();
    private String main;

    @Override
    Connection connect() throws SQLException {
        if (main == null) {
            main = TestDatabases.createPostgresDatabase();
            databases.add(main);
        }
        return TestDatabases.postgres(main);
    }

    @Override
    Connection connectToAnotherDatabase() throws SQLException {
        String other = TestDatabases.createPostgresDatabase();
        databases.add(other);
        return TestDatabases.postgres(other);
    }

    @Override
    String nowSql() {
        return "now()";
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (String db : databases) {
            TestDatabases.dropPostgresDatabase(db);
        }
    }

    @Test
    void userWhoMayNotCreatePgTrgmGetsTheStatementForTheDba() throws Exception {
        String role = "openprefect_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection admin = connect(); Statement s = admin.createStatement()) {
            // An application role as a managed service hands out: it owns the schema, not the database.
            s.execute("CREATE ROLE " + role + " LOGIN");
            s.execute("GRANT CONNECT ON DATABASE " + main + " TO " + role);
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
            s.execute("REVOKE CREATE ON DATABASE " + main + " FROM PUBLIC");
        }
        try (Connection app = TestDatabases.postgres(main, role)) {
            Migrator m = migrator(app);
            MigrationException e = assertThrows(MigrationException.class, () -> m.upgrade("head"));
            assertTrue(e.getMessage().contains("CREATE EXTENSION IF NOT EXISTS pg_trgm;"), e.getMessage());
            assertTrue(e.getMessage().contains("user '" + role + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("Nothing was changed."), e.getMessage());
            assertEquals(List.of(), SchemaSnapshot.tables(app), "no table was created");
        } finally {
            try (Connection admin = connect(); Statement s = admin.createStatement()) {
                s.execute("REVOKE ALL ON SCHEMA public FROM " + role);
                s.execute("REVOKE ALL ON DATABASE " + main + " FROM " + role);
            }
            TestDatabases.dropPostgresDatabase(main);
            databases.remove(main);
            try (Connection admin = TestDatabases.postgresAdmin(); Statement s = admin.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void trigramIndexesExistAtHead() throws Exception {
        try (Connection c = connect()) {
            migrator(c).upgrade("head");
            String indexes = scalar(c, "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE indexname LIKE 'trgm_ix_%'");
            assertEquals("trgm_ix_block_document_name,trgm_ix_block_type_name,trgm_ix_deployment_name,trgm_ix_flow_name,"
                    + "trgm_ix_flow_run_name,trgm_ix_task_run_name,trgm_ix_work_queue_name", indexes);
        }
    }
}
