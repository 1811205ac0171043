package org.openprefect.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect server database backup|restore} on SQLite, with the server running during the backup. */
class BackupRestoreTest {
    @TempDir
    Path temp;

    @Test
    void backupWhileServingThenRestoreGoesBackToThatMoment() throws Exception {
        Prefect prefect = new Prefect(temp);
        Path backup = temp.resolve("backups/before.db");
        try (RunningServer server = RunningServer.start(prefect)) {
            Api api = new Api(server.api(""));
            api.post("/flows/", "{\"name\":\"kept\"}", 201);
            CliResult made = prefect.run("server", "database", "backup", "--to", backup.toString());
            assertEquals(0, made.exitCode(), made::toString);
            assertTrue(made.stdout().contains("Backup written: " + backup), made::toString);
            api.post("/flows/", "{\"name\":\"after-backup\"}", 201);
        }
        CliResult refused = prefect.run("server", "database", "restore", backup.toString());
        assertEquals(1, refused.exitCode(), "no -y and no terminal: nothing happens");

        CliResult restored = prefect.run("server", "database", "restore", backup.toString(), "-y");
        assertEquals(0, restored.exitCode(), restored::toString);
        try (RunningServer server = RunningServer.start(prefect)) {
            Api api = new Api(server.api(""));
            assertEquals(200, api.get("/flows/name/kept").status());
            assertEquals(404, api.get("/flows/name/after-backup").status(), "the restore went back to the backup's moment");
        }
    }

    @Test
    void damagedOrForeignBackupsAreRefusedAndNothingChanges() throws Exception {
        Prefect prefect = new Prefect(temp);
        assertEquals(0, prefect.run("server", "database", "upgrade", "-y").exitCode());
        Path junk = temp.resolve("junk.db");
        Files.writeString(junk, "this is not a database");
        long before = Files.size(prefect.home().resolve("prefect.db"));
        CliResult result = prefect.run("server", "database", "restore", junk.toString(), "-y");
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains("Nothing was changed."), result::toString);
        assertEquals(before, Files.size(prefect.home().resolve("prefect.db")));
        assertEquals(1, prefect.run("server", "database", "restore", temp.resolve("missing.db").toString(), "-y").exitCode());
    }

    @Test
    void postgresGetsThePgDumpCommand() {
        CliResult result = new Prefect(temp).run(Map.of("PREFECT_SERVER_DATABASE_CONNECTION_URL",
                "postgresql+asyncpg://app:secret@db.example:5433/orchestration"), "server", "database", "backup");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("pg_dump -h db.example -p 5433 -U app -Fc -f prefect-backup.dump orchestration"), result::toString);
        assertTrue(!result.stderr().contains("secret"));
    }
}
