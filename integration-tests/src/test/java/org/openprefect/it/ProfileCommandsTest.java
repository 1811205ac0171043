package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect profile ...} against a profiles file written in upstream's format. */
class ProfileCommandsTest {
    /** A file as upstream writes it (and as users edit it): comments, quoted keys, an empty table. */
    private static final String UPSTREAM_FILE = """
            # written by prefect 3
            active = "local"

            [profiles.local]
            PREFECT_API_URL = "http://127.0.0.1:4200/api"

            [profiles.prod]
            PREFECT_API_URL = "https://prefect.example.com/api"
            PREFECT_API_AUTH_STRING = "admin:secret"

            [profiles."team a"]

            [profiles.legacy]
            PREFECT_API_DATABASE_CONNECTION_URL = "sqlite+aiosqlite:////data/prefect.db"
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    Prefect prefect;

    @BeforeEach
    void setUp() throws Exception {
        prefect = new Prefect(temp);
        Files.createDirectories(prefect.home());
        Files.writeString(prefect.profilesFile(), UPSTREAM_FILE);
    }

    @Test
    void listsUserProfilesWithTheActiveOneMarked() throws Exception {
        CliResult ls = prefect.run("profile", "ls");
        assertEquals(0, ls.exitCode(), ls::toString);
        assertEquals("Available Profiles:\n* local\n  prod\n  team a\n  legacy\n   * active profile\n", ls.stdout());

        JsonNode json = JSON.readTree(prefect.run("profiles", "ls", "-o", "json").stdout());
        assertEquals(4, json.size());
        assertEquals("local", json.get(0).get("name").asText());
        assertTrue(json.get(0).get("active").asBoolean());
        assertFalse(json.get(1).get("active").asBoolean());

        // PREFECT_PROFILE outranks the file's active key.
        JsonNode viaEnv = JSON.readTree(prefect.run(Map.of("PREFECT_PROFILE", "prod"), "profile", "ls", "-o", "json").stdout());
        assertTrue(viaEnv.get(1).get("active").asBoolean());
    }

    @Test
    void inspectShowsSettingsOfOneProfile() throws Exception {
        CliResult active = prefect.run("profile", "inspect");
        assertEquals("No name provided, defaulting to 'local'\nPREFECT_API_URL='http://127.0.0.1:4200/api'\n", active.stdout());
        assertEquals("Profile 'team a' is empty.\n", prefect.run("profile", "inspect", "team a").stdout());
        JsonNode prod = JSON.readTree(prefect.run("profile", "inspect", "prod", "-o", "json").stdout());
        assertEquals("admin:secret", prod.get("PREFECT_API_AUTH_STRING").asText());
        CliResult missing = prefect.run("profile", "inspect", "nope");
        assertEquals(1, missing.exitCode());
        assertEquals("Profile 'nope' not found.\n", missing.stderr());
    }

    @Test
    void createCopiesRenameMovesDeleteRemovesAndTheFileStaysUpstreamReadable() throws Exception {
        CliResult create = prefect.run("profile", "create", "staging", "--from", "prod");
        assertEquals(0, create.exitCode(), create::toString);
        assertTrue(create.stdout().contains("prefect profile use 'staging'"), create::toString);
        CliResult again = prefect.run("profile", "create", "staging");
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().startsWith("Profile 'staging' already exists."), again::toString);
        assertEquals(1, prefect.run("profile", "create", "x", "--from", "nope").exitCode());

        CliResult rename = prefect.run("profile", "rename", "staging", "stage");
        assertEquals("Renamed profile 'staging' to 'stage'.\n", rename.stdout());
        assertEquals(1, prefect.run("profile", "rename", "stage", "prod").exitCode());

        CliResult deleteActive = prefect.run("profile", "delete", "local");
        assertEquals(1, deleteActive.exitCode());
        assertEquals("Profile 'local' is the active profile. You must switch profiles before it can be deleted.\n", deleteActive.stderr());
        assertEquals("Removed profile 'team a'.\n", prefect.run("profile", "delete", "team a").stdout());

        JsonNode file = new TomlMapper().readTree(prefect.profilesFile().toFile());
        assertEquals("local", file.get("active").asText());
        assertEquals("https://prefect.example.com/api", file.at("/profiles/stage/PREFECT_API_URL").asText());
        assertEquals("admin:secret", file.at("/profiles/stage/PREFECT_API_AUTH_STRING").asText());
        assertFalse(file.get("profiles").has("staging"));
        assertFalse(file.get("profiles").has("team a"));
        // What we did not touch is kept as it was, legacy names included.
        assertEquals("sqlite+aiosqlite:////data/prefect.db", file.at("/profiles/legacy/PREFECT_API_DATABASE_CONNECTION_URL").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(prefect.profilesFile())));
        PythonToml.assertReadableByPython(prefect.profilesFile());
    }

    @Test
    void useSwitchesAndReportsWhetherTheServerAnswers() throws Exception {
        CliResult unreachable = prefect.run("profile", "use", "prod");
        assertEquals(1, unreachable.exitCode(), unreachable::toString);
        assertEquals("Error connecting to Prefect server using profile 'prod'\n", unreachable.stderr());
        // The profile stays active even when the check fails, as upstream.
        assertTrue(Files.readString(prefect.profilesFile()).startsWith("active = \"prod\""));

        CliResult ephemeral = prefect.run("profile", "use", "ephemeral");
        assertEquals(0, ephemeral.exitCode(), ephemeral::toString);
        assertEquals("No Prefect server specified using profile 'ephemeral' - the API will run in ephemeral mode.\n", ephemeral.stdout());

        CliResult empty = prefect.run("profile", "use", "team a");
        assertEquals(1, empty.exitCode());
        assertTrue(empty.stderr().contains("Prefect server URL not configured using profile 'team a'"), empty::toString);

        assertEquals("Profile 'nope' not found.\n", prefect.run("profile", "use", "nope").stderr());

        try (RunningServer server = RunningServer.start(prefect)) {
            prefect.run("profile", "create", "mine");
            prefect.run("--profile", "mine", "config", "set", "PREFECT_API_URL=" + server.api(""));
            CliResult connected = prefect.run("profile", "use", "mine");
            assertEquals(0, connected.exitCode(), connected::toString);
            assertEquals("Connected to Prefect server using profile 'mine'\n", connected.stdout());
        }
    }

    @Test
    void populateDefaultsAddsTheShippedProfilesOnce() throws Exception {
        CliResult first = prefect.run("profile", "populate-defaults");
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.stdout().contains("Add 'ephemeral'"), first::toString);
        assertFalse(first.stdout().contains("Add 'local'"), "local exists already: " + first);
        JsonNode file = new TomlMapper().readTree(prefect.profilesFile().toFile());
        assertEquals("true", file.at("/profiles/ephemeral/PREFECT_SERVER_ALLOW_EPHEMERAL_MODE").asText());
        assertEquals("http://127.0.0.1:4200/api", file.at("/profiles/local/PREFECT_API_URL").asText());
        assertTrue(file.get("profiles").has("test"));
        assertTrue(file.get("profiles").has("cloud"));
        assertTrue(file.get("profiles").has("prod"));
        assertEquals("No changes needed. All profiles are up to date.\n", prefect.run("profile", "populate-defaults").stdout());
    }

    @Test
    void malformedProfilesFileIsReportedNotFatalForReads() throws Exception {
        Files.writeString(prefect.profilesFile(), "active = \"local\"\n[profiles.local\nPREFECT_API_URL = 1\n");
        CliResult view = prefect.run("config", "view");
        assertEquals(0, view.exitCode(), view::toString);
        assertTrue(view.stderr().contains("invalid TOML"), view::toString);
        CliResult set = prefect.run("config", "set", "PREFECT_API_URL=http://x/api");
        assertEquals(1, set.exitCode(), set::toString);
        assertTrue(Files.readString(prefect.profilesFile()).contains("[profiles.local\n"), "a broken file is never overwritten");
    }
}
