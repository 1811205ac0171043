package org.openprefect.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server and the database commands against the real local PostgreSQL. */
class PostgresServerTest {
    @TempDir
    Path temp;
    String database;
    Prefect prefect;

    @BeforeEach
    void createDatabase() throws Exception {
        database = Sql.createPostgresDatabase();
        prefect = new Prefect(temp).env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database));
    }

    @AfterEach
    void dropDatabase() throws Exception {
        Sql.dropPostgresDatabase(database);
    }

    @Test
    void serverMigratesPostgresOnStartAndReportsIt() throws Exception {
        try (RunningServer server = RunningServer.start(prefect)) {
            assertEquals("{\"message\":\"OK\"}", Http.get(server.api("/ready")).body());
            String page = Http.get(server.base() + "/settings").body();
            assertTrue(page.contains("<td id=\"database\">postgresql</td>"), page);
            assertTrue(page.contains("<td id=\"schema-revision\">r0011</td>"), page);
        }
        try (Connection c = Sql.postgres(database)) {
            assertEquals("t", Sql.scalar(c, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')"));
        }
        CliResult current = prefect.run("server", "database", "current", "-o", "json");
        assertEquals("r0011", new ObjectMapper().readTree(current.stdout()).get("revision").asText());
    }

    @Test
    void downgradeToBaseAndUpgradeAgainKeepsNothingAndBreaksNothing() throws Exception {
        assertEquals(0, prefect.run("server", "database", "upgrade", "-y").exitCode());
        CliResult down = prefect.run("server", "database", "downgrade", "-y", "-r", "base");
        assertEquals(0, down.exitCode(), down::toString);
        assertEquals(11, down.stdout().lines().filter(l -> l.startsWith("  rolling back ")).count(), down::toString);
        assertEquals(0, prefect.run("server", "database", "upgrade", "-y").exitCode());
    }

    @Test
    void roleThatMayNotCreatePgTrgmIsToldWhatToAskFor() throws Exception {
        String role = "openprefect_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection admin = Sql.postgres(database)) {
            Sql.exec(admin, "CREATE ROLE " + role + " LOGIN");
            Sql.exec(admin, "GRANT CONNECT ON DATABASE " + database + " TO " + role);
            Sql.exec(admin, "GRANT USAGE, CREATE ON SCHEMA public TO " + role);
            Sql.exec(admin, "REVOKE CREATE ON DATABASE " + database + " FROM PUBLIC");
        }
        try {
            Map<String, String> asApp = Map.of("PREFECT_SERVER_DATABASE_CONNECTION_URL",
                    "postgresql+asyncpg://" + role + ":not-a-real-secret@" + Sql.PG_HOST + "/" + database);
            CliResult up = prefect.run(asApp, "server", "database", "upgrade", "-y");
            assertEquals(1, up.exitCode(), up::toString);
            assertTrue(up.stderr().contains("CREATE EXTENSION IF NOT EXISTS pg_trgm;"), up::toString);
            assertTrue(up.stderr().contains("Nothing was changed."), up::toString);
            assertFalse(up.stderr().contains("not-a-real-secret") || up.stdout().contains("not-a-real-secret"), "the password never shows");
            try (Connection c = Sql.postgres(database)) {
                assertEquals("0", Sql.scalar(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
            }
        } finally {
            Sql.dropPostgresDatabase(database);
            try (Connection admin = Sql.postgres("postgres")) {
                Sql.exec(admin, "DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
