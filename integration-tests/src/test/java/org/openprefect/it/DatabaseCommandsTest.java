package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.Sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect server database ...} on the default SQLite file, as an operator runs it. */
class DatabaseCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    Prefect prefect;
    Path dbFile;

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
        dbFile = prefect.home().resolve("prefect.db");
    }

    @Test
    void upgradeDowngradeAndInspect() throws Exception {
        CliResult fresh = prefect.run("server", "database", "current", "-o", "json");
        assertEquals(0, fresh.exitCode(), fresh::toString);
        JsonNode before = JSON.readTree(fresh.stdout());
        assertTrue(before.get("revision").isNull());
        assertEquals("sqlite+aiosqlite:///" + dbFile, before.get("database").asText());

        CliResult up = prefect.run("server", "database", "upgrade", "-y");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.stdout().startsWith("Running upgrade migrations ...\n  applying r0001: "), up::toString);
        assertTrue(up.stdout().endsWith("Migrations succeeded!\nPrefect database at sqlite+aiosqlite:///" + dbFile + " upgraded!\n"), up::toString);

        CliResult down = prefect.run("server", "database", "downgrade", "-y");
        assertEquals(0, down.exitCode(), down::toString);
        assertEquals(1, down.stdout().lines().filter(l -> l.startsWith("  rolling back ")).count(), "one step back by default: " + down);

        JsonNode history = JSON.readTree(prefect.run("server", "database", "history", "-o", "json").stdout());
        assertTrue(history.get(0).get("applied").asBoolean());
        assertFalse(history.get(history.size() - 1).get("applied").asBoolean());

        CliResult dry = prefect.run("server", "database", "upgrade", "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.stdout().contains("DROP INDEX ix_task_run_state__type"), dry::toString);
        assertEquals(1, JSON.readTree(prefect.run("server", "database", "current", "-o", "json").stdout()).get("pending").size(),
                "a dry run changes nothing");

        CliResult base = prefect.run("server", "database", "downgrade", "-y", "-r", "base");
        assertEquals(0, base.exitCode(), base::toString);
        try (Connection c = Sql.sqlite(dbFile)) {
            assertEquals("0", Sql.scalar(c, "SELECT count(*) FROM sqlite_master WHERE name = 'flow_run'"));
        }
    }

    @Test
    void withoutYesAndWithoutTerminalNothingHappens() throws Exception {
        CliResult up = prefect.run("server", "database", "upgrade");
        assertEquals(1, up.exitCode(), up::toString);
        assertTrue(up.stderr().startsWith("Database upgrade aborted!"), up::toString);
        CliResult reset = prefect.run("server", "database", "reset");
        assertEquals(1, reset.exitCode(), reset::toString);
        assertTrue(reset.stderr().startsWith("Database reset aborted"), reset::toString);
    }

    @Test
    void resetEmptiesTheDatabaseAtHead() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        try (Connection c = Sql.sqlite(dbFile)) {
            Sql.exec(c, "INSERT INTO flow (id, name) VALUES ('6f9f6b3c-0000-4000-8000-000000000001', 'etl')");
        }
        CliResult reset = prefect.run("server", "database", "reset", "-y");
        assertEquals(0, reset.exitCode(), reset::toString);
        assertTrue(reset.stdout().contains("Prefect database \"sqlite+aiosqlite:///" + dbFile + "\" reset!"), reset::toString);
        try (Connection c = Sql.sqlite(dbFile)) {
            assertEquals("0", Sql.scalar(c, "SELECT count(*) FROM flow"));
        }
        assertEquals(0, JSON.readTree(prefect.run("server", "database", "current", "-o", "json").stdout()).get("pending").size());
    }

    @Test
    void databaseAheadOfThisBuildIsRefused() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        try (Connection c = Sql.sqlite(dbFile)) {
            Sql.exec(c, "INSERT INTO DATABASECHANGELOG (id, author, filename, dateexecuted, orderexecuted, exectype) "
                    + "VALUES ('r0042-sqlite', 'openprefect', 'revisions/r0042_future.sql', '2027-01-01 00:00:00', 42, 'EXECUTED')");
            Sql.exec(c, "UPDATE configuration SET value = '{\"revision\": \"r0042\", \"version\": \"2.0.0\"}' WHERE key = 'openprefect-schema'");
        }
        CliResult up = prefect.run("server", "database", "upgrade", "-y");
        assertEquals(1, up.exitCode(), up::toString);
        assertTrue(up.stderr().contains("revision r0042"), up::toString);
        assertTrue(up.stderr().contains("2.0.0"), up::toString);
        CliResult down = prefect.run("server", "database", "downgrade", "-y");
        assertEquals(1, down.exitCode(), down::toString);

        CliResult start = prefect.run("server", "start", "--port", Integer.toString(Prefect.freePort()));
        assertEquals(1, start.exitCode(), start::toString);
        assertTrue(start.stderr().contains("revision r0042"), "the server refuses it too: " + start);
        CliResult noMigrate = prefect.run(Map.of("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false"),
                "server", "start", "--port", Integer.toString(Prefect.freePort()));
        assertEquals(1, noMigrate.exitCode(), noMigrate::toString);
        assertTrue(noMigrate.stderr().contains("revision r0042"), "also without migrate-on-start: " + noMigrate);
        try (Connection c = Sql.sqlite(dbFile)) {
            assertEquals("11", Sql.scalar(c, "SELECT count(*) FROM DATABASECHANGELOG"), "nothing was changed");
        }
    }

    @Test
    void secondMigratorWaitsForTheLockThenStopsAndTheLockCanBeCleared() throws Exception {
        prefect.run("server", "database", "upgrade", "-y", "-r", "r0001");
        try (Connection c = Sql.sqlite(dbFile)) {
            // What a running (or killed) migrator leaves in the lock table.
            Sql.exec(c, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKEDBY = 'other-host (10.1.2.3)', "
                    + "LOCKGRANTED = '2026-11-28 09:00:00' WHERE ID = 1");
        }
        CliResult blocked = prefect.run("server", "database", "upgrade", "-y", "--lock-timeout", "2");
        assertEquals(1, blocked.exitCode(), blocked::toString);
        assertTrue(blocked.stderr().contains("Another migration holds the lock on this database (held by other-host (10.1.2.3)"), blocked::toString);
        assertTrue(blocked.stderr().contains("prefect server database release-lock -y"), blocked::toString);
        assertTrue(prefect.run("server", "database", "current").stdout().contains("Migration lock: held by other-host"));
        try (Connection c = Sql.sqlite(dbFile)) {
            assertEquals("0", Sql.scalar(c, "SELECT count(*) FROM sqlite_master WHERE name = 'deployment'"), "nothing was applied");
        }

        CliResult release = prefect.run("server", "database", "release-lock", "-y");
        assertEquals(0, release.exitCode(), release::toString);
        assertTrue(release.stdout().startsWith("Released the migration lock (held by other-host"), release::toString);
        assertEquals("No migration lock is held.\n", prefect.run("server", "database", "release-lock", "-y").stdout());
        assertEquals(0, prefect.run("server", "database", "upgrade", "-y").exitCode());
    }

    @Test
    void serverWithMigrateOnStartOffRefusesAnOldSchema() throws Exception {
        prefect.run("server", "database", "upgrade", "-y", "-r", "r0001");
        CliResult start = prefect.run(Map.of("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false"),
                "server", "start", "--port", Integer.toString(Prefect.freePort()));
        assertEquals(1, start.exitCode(), start::toString);
        assertTrue(start.stderr().contains("is not up to date and PREFECT_SERVER_DATABASE_MIGRATE_ON_START is false"), start::toString);
        assertTrue(start.stderr().contains("prefect server database upgrade -y"), start::toString);
    }

    @Test
    void stampRecordsWithoutRunning() throws Exception {
        prefect.run("server", "database", "upgrade", "-y", "-r", "r0001");
        CliResult stamp = prefect.run("server", "database", "stamp", "r0002");
        assertEquals(0, stamp.exitCode(), stamp::toString);
        assertEquals("Stamping database with revision r0002 ...\nStamping database with revision succeeded!\n", stamp.stdout());
        assertEquals("r0002", JSON.readTree(prefect.run("server", "database", "current", "-o", "json").stdout()).get("revision").asText());
        CliResult bad = prefect.run("server", "database", "stamp", "r9999");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().startsWith("Unknown revision 'r9999'"), bad::toString);
    }
}
