package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.Sql;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect doctor} against real situations: each finding and the exit code a script gates on. */
class DoctorTest {
    @TempDir
    Path temp;
    Prefect prefect;
    Path dbFile;

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
        dbFile = prefect.home().resolve("prefect.db");
    }

    private JsonNode finding(CliResult result, String section, String check) throws Exception {
        for (JsonNode f : Api.JSON.readTree(result.stdout()).get("findings")) {
            if (f.get("section").asText().equals(section) && f.get("check").asText().equals(check)) {
                return f;
            }
        }
        throw new AssertionError("no " + section + "/" + check + " in " + result);
    }

    @Test
    void healthyDatabasePassesAndAPendingRevisionWarns() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        CliResult healthy = prefect.run("doctor", "--section", "database,migrations", "-o", "json");
        assertEquals(0, healthy.exitCode(), healthy::toString);
        assertEquals("ok", Api.JSON.readTree(healthy.stdout()).get("status").asText());
        assertEquals("ok", finding(healthy, "migrations", "pending").get("status").asText());

        prefect.run("server", "database", "downgrade", "-y");
        CliResult pending = prefect.run("doctor", "--section", "migrations", "-o", "json");
        assertEquals(0, pending.exitCode(), "warnings alone do not fail");
        assertEquals("warn", finding(pending, "migrations", "pending").get("status").asText());
        assertEquals(1, prefect.run("doctor", "--section", "migrations", "--fail-on-warn").exitCode());
    }

    @Test
    void corruptFileFails() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        try (RandomAccessFile f = new RandomAccessFile(dbFile.toFile(), "rw")) {
            f.seek(4096 * 3);
            f.write(new byte[8192]);
            f.seek(100);
            f.write("garbage-garbage-garbage".getBytes());
        }
        Files.deleteIfExists(Path.of(dbFile + "-wal"));
        Files.deleteIfExists(Path.of(dbFile + "-shm"));
        CliResult result = prefect.run("doctor", "--section", "sqlite", "-o", "json");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("fail", finding(result, "sqlite", "integrity").get("status").asText());
        assertTrue(finding(result, "sqlite", "integrity").get("fix").asText().contains("restore"));
    }

    @Test
    void fileLockedByAnotherProcessIsReported() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        try (Connection holder = Sql.sqlite(dbFile); Statement s = holder.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            CliResult result = prefect.run("doctor", "--section", "sqlite", "-o", "json");
            assertEquals("warn", finding(result, "sqlite", "lock").get("status").asText(), result::toString);
            s.execute("ROLLBACK");
        }
        CliResult free = prefect.run("doctor", "--section", "sqlite", "-o", "json");
        assertEquals("ok", finding(free, "sqlite", "lock").get("status").asText());
    }

    @Test
    void databaseAheadOfTheBuildFailsAndNoDatabaseIsNotCreated() throws Exception {
        CliResult fresh = prefect.run("doctor", "-o", "json");
        assertEquals("warn", finding(fresh, "sqlite", "file").get("status").asText());
        assertFalse(Files.exists(dbFile), "the doctor changes nothing, not even by creating the file");

        prefect.run("server", "database", "upgrade", "-y");
        try (Connection c = Sql.sqlite(dbFile)) {
            Sql.exec(c, "INSERT INTO DATABASECHANGELOG (id, author, filename, dateexecuted, orderexecuted, exectype) "
                    + "VALUES ('r0042-sqlite', 'openprefect', 'r0042.sql', '2027-01-01 00:00:00', 42, 'EXECUTED')");
        }
        CliResult ahead = prefect.run("doctor", "--section", "migrations");
        assertEquals(1, ahead.exitCode(), ahead::toString);
        assertTrue(ahead.stdout().contains("fail ahead"), ahead::toString);
        assertTrue(ahead.stdout().contains("Overall: fail"), ahead::toString);
    }

    @Test
    void editedChangesetIsReportedAsChecksumDrift() throws Exception {
        prefect.run("server", "database", "upgrade", "-y");
        CliResult clean = prefect.run("doctor", "--section", "migrations", "-o", "json");
        assertEquals("ok", finding(clean, "migrations", "checksums").get("status").asText(), clean::toString);
        try (Connection c = Sql.sqlite(dbFile)) {
            Sql.exec(c, "UPDATE DATABASECHANGELOG SET MD5SUM = '9:0123456789abcdef0123456789abcdef' WHERE ID = 'r0003-sqlite'");
        }
        CliResult drifted = prefect.run("doctor", "--section", "migrations", "-o", "json");
        assertEquals(1, drifted.exitCode(), drifted::toString);
        JsonNode f = finding(drifted, "migrations", "checksums");
        assertEquals("fail", f.get("status").asText());
        assertTrue(f.get("message").asText().contains("r0003-sqlite"), drifted::toString);
        assertTrue(f.get("fix").asText().contains("MD5SUM = NULL"), drifted::toString);
    }

    @Test
    void fileTheServerUserCannotWriteFails() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv to run the doctor as a user who does not own the file");
        prefect.run("server", "database", "upgrade", "-y");
        // Let an unprivileged user reach the file (read-only, as root owns it), as a server running under the wrong account would.
        for (Path p : List.of(temp, dbFile.getParent(), temp.resolve("user-home"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(dbFile, PosixFilePermissions.fromString("rw-r--r--"));
        CliResult result = new Prefect(temp).runningAs(65534).run("doctor", "--section", "sqlite", "-o", "json");
        assertEquals(1, result.exitCode(), result::toString);
        JsonNode f = finding(result, "sqlite", "permissions");
        assertEquals("fail", f.get("status").asText(), result::toString);
        assertTrue(f.get("fix").asText().contains("read and write access"), result::toString);
    }

    @Test
    void unknownSectionIsAUsageError() {
        assertEquals(2, prefect.run("doctor", "--section", "astrology").exitCode());
    }

    @Test
    void postgresWithoutPgTrgmInstalledWarnsAndUnreachableFails() throws Exception {
        String database = Sql.createPostgresDatabase();
        try {
            CliResult result = prefect.run(Map.of("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)),
                    "doctor", "--section", "database", "-o", "json");
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("warn", finding(result, "database", "pg_trgm").get("status").asText());
            assertEquals("ok", finding(result, "database", "server-version").get("status").asText());
        } finally {
            Sql.dropPostgresDatabase(database);
        }
        CliResult down = prefect.run(Map.of("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql+asyncpg://u:hidden@127.0.0.1:1/nothing"),
                "doctor", "--section", "database", "-o", "json");
        assertEquals(1, down.exitCode(), down::toString);
        assertEquals("fail", finding(down, "database", "connection").get("status").asText());
        assertFalse(down.stdout().contains("hidden"), "the password is masked");
    }
}
