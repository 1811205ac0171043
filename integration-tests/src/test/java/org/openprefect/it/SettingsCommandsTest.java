package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect config set/unset/view/validate} through the real process: precedence, masking, bad input. */
class SettingsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    Prefect prefect;

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
    }

    @Test
    void defaultsThenProfileThenEnvironmentThenProfileOption() throws Exception {
        assertEquals("'4200' (from defaults)", viewValue(prefect.run("config", "view", "--show-defaults"), "PREFECT_SERVER_API_PORT"));

        CliResult set = prefect.run("config", "set", "PREFECT_SERVER_API_PORT=4300");
        assertEquals(0, set.exitCode(), set::toString);
        assertTrue(set.stdout().contains("Set 'PREFECT_SERVER_API_PORT' to '4300'."), set::toString);
        assertTrue(set.stdout().contains("Updated profile 'ephemeral'."), set::toString);
        assertEquals("'4300' (from profile)", viewValue(prefect.run("config", "view"), "PREFECT_SERVER_API_PORT"));

        CliResult fromEnv = prefect.run(Map.of("PREFECT_SERVER_API_PORT", "4400"), "config", "view");
        assertEquals("'4400' (from env)", viewValue(fromEnv, "PREFECT_SERVER_API_PORT"));

        // With --profile the chosen profile outranks the environment, as upstream.
        CliResult withOption = prefect.run(Map.of("PREFECT_SERVER_API_PORT", "4400"), "--profile", "ephemeral", "config", "view");
        assertEquals("'4300' (from profile)", viewValue(withOption, "PREFECT_SERVER_API_PORT"));
    }

    @Test
    void dotEnvAndPrefectTomlSitBetweenEnvironmentAndProfile() throws Exception {
        prefect.run("config", "set", "PREFECT_SERVER_API_PORT=4300", "PREFECT_SERVER_API_HOST=10.0.0.1");
        Files.writeString(prefect.workDir().resolve("prefect.toml"), "[server.api]\nport = 4500\n");
        assertEquals("'4500' (from prefect.toml)", viewValue(prefect.run("config", "view"), "PREFECT_SERVER_API_PORT"));
        Files.writeString(prefect.workDir().resolve(".env"), "PREFECT_SERVER_API_PORT=4600\n");
        CliResult view = prefect.run("config", "view");
        assertEquals("'4600' (from .env file)", viewValue(view, "PREFECT_SERVER_API_PORT"));
        assertEquals("'10.0.0.1' (from profile)", viewValue(view, "PREFECT_SERVER_API_HOST"));
    }

    @Test
    void secretsAreMaskedUnlessAsked() throws Exception {
        prefect.run("config", "set", "PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://u:hunter2@db:5432/prefect");
        CliResult view = prefect.run("config", "view");
        assertEquals("'********' (from profile)", viewValue(view, "PREFECT_API_DATABASE_CONNECTION_URL"));
        assertFalse(view.stdout().contains("hunter2"), view::toString);
        CliResult shown = prefect.run("config", "view", "--show-secrets");
        assertEquals("'postgresql+asyncpg://u:hunter2@db:5432/prefect' (from profile)",
                viewValue(shown, "PREFECT_API_DATABASE_CONNECTION_URL"));
    }

    @Test
    void theSeedWalkthroughKeepsTheNameTheUserWrote() throws Exception {
        CliResult set = prefect.run("config", "set",
                "PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://postgres:yourTopSecretPassword@localhost:5432/prefect");
        assertEquals(0, set.exitCode(), set::toString);
        CliResult view = prefect.run("config", "view", "--show-sources");
        assertTrue(view.stdout().lines().anyMatch("PREFECT_API_DATABASE_CONNECTION_URL='********' (from profile)"::equals), view::toString);
        assertFalse(view.stdout().contains("PREFECT_SERVER_DATABASE_CONNECTION_URL"), view::toString);
        // profiles.toml is shared with the user's Python prefect: it must hold what the user wrote.
        String file = Files.readString(prefect.profilesFile());
        assertTrue(file.contains("PREFECT_API_DATABASE_CONNECTION_URL = \"postgresql+asyncpg://postgres:yourTopSecretPassword@localhost:5432/prefect\""), file);

        // Setting it again under its current name replaces the alias: one setting, one line.
        prefect.run("config", "set", "PREFECT_SERVER_DATABASE_CONNECTION_URL=sqlite+aiosqlite:///other.db");
        String after = Files.readString(prefect.profilesFile());
        assertFalse(after.contains("PREFECT_API_DATABASE_CONNECTION_URL"), after);
        assertTrue(after.contains("PREFECT_SERVER_DATABASE_CONNECTION_URL = \"sqlite+aiosqlite:///other.db\""), after);
        // An alias in the environment is shown under that name too, and unset takes any of the names.
        CliResult fromEnv = prefect.run(Map.of("PREFECT_API_DATABASE_ECHO", "true"), "config", "view");
        assertEquals("'true' (from env)", viewValue(fromEnv, "PREFECT_API_DATABASE_ECHO"));
        CliResult unset = prefect.run("config", "unset", "PREFECT_API_DATABASE_CONNECTION_URL", "-y");
        assertEquals(0, unset.exitCode(), unset::toString);
        assertFalse(Files.readString(prefect.profilesFile()).contains("DATABASE_CONNECTION_URL"));
    }

    @Test
    void viewAsJsonNamesProfileSettingsAndSources() throws Exception {
        prefect.run("config", "set", "PREFECT_API_URL=http://127.0.0.1:4200/api");
        CliResult result = prefect.run("config", "view", "-o", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode json = JSON.readTree(result.stdout());
        assertEquals("ephemeral", json.get("profile").asText());
        assertEquals("http://127.0.0.1:4200", json.get("ui_url").asText());
        JsonNode apiUrl = null;
        for (JsonNode s : json.get("settings")) {
            if (s.get("name").asText().equals("PREFECT_API_URL")) {
                apiUrl = s;
            }
        }
        assertEquals("http://127.0.0.1:4200/api", apiUrl.get("value").asText());
        assertEquals("profile", apiUrl.get("source").asText());

        CliResult text = prefect.run("config", "view", "--hide-sources");
        assertTrue(text.stdout().startsWith("🚀 you are connected to:\nhttp://127.0.0.1:4200\nPREFECT_PROFILE='ephemeral'\n"), text::toString);
        assertTrue(text.stdout().contains("PREFECT_API_URL='http://127.0.0.1:4200/api'\n"), text::toString);
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() throws Exception {
        prefect.run("config", "set", "PREFECT_API_URL=http://example:4200/api");
        String before = Files.readString(prefect.profilesFile());

        assertError(prefect.run("config", "set", "PREFECT_NOT_A_SETTING=1"), "Unknown setting name 'PREFECT_NOT_A_SETTING'.");
        assertError(prefect.run("config", "set", "PREFECT_API_URL"), "Failed to parse argument 'PREFECT_API_URL'. Use the format 'VAR=VAL'.");
        assertError(prefect.run("config", "set", "PREFECT_HOME=/tmp/x"),
                "Setting 'PREFECT_HOME' cannot be changed with this command. Use an environment variable instead.");
        CliResult badPort = prefect.run("config", "set", "PREFECT_LOGGING_LEVEL=DEBUG", "PREFECT_SERVER_API_PORT=lots");
        assertError(badPort, "Validation error(s) for setting PREFECT_SERVER_API_PORT");
        assertTrue(badPort.stderr().contains("Input should be a valid integer, unable to parse string as an integer"), badPort::toString);
        CliResult badLevel = prefect.run("config", "set", "PREFECT_SERVER_LOGGING_LEVEL=LOUD");
        assertTrue(badLevel.stderr().contains("Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"), badLevel::toString);
        CliResult badBool = prefect.run("config", "set", "PREFECT_SERVER_UI_ENABLED=perhaps");
        assertTrue(badBool.stderr().contains("Input should be a valid boolean"), badBool::toString);

        assertEquals(before, Files.readString(prefect.profilesFile()), "a refused set must not touch the profiles file");
    }

    @Test
    void invalidEnvironmentValueStopsCommandsThatReadSettings() {
        CliResult result = prefect.run(Map.of("PREFECT_SERVER_API_PORT", "not-a-port"), "config", "view");
        assertError(result, "Validation error(s) for setting PREFECT_SERVER_API_PORT");
    }

    @Test
    void unsetRemovesOnlyWhatTheProfileSets() throws Exception {
        prefect.run("config", "set", "PREFECT_API_URL=http://127.0.0.1:4200/api", "PREFECT_SERVER_API_PORT=4300");
        assertError(prefect.run("config", "unset", "PREFECT_SERVER_API_HOST"), "'PREFECT_SERVER_API_HOST' is not set in profile 'ephemeral'.");
        CliResult unset = prefect.run("config", "unset", "PREFECT_SERVER_API_PORT", "-y");
        assertEquals(0, unset.exitCode(), unset::toString);
        assertTrue(unset.stdout().contains("Unset 'PREFECT_SERVER_API_PORT'."), unset::toString);
        String file = Files.readString(prefect.profilesFile());
        assertFalse(file.contains("PREFECT_SERVER_API_PORT"), file);
        assertTrue(file.contains("PREFECT_API_URL"), file);
    }

    @Test
    void validateRewritesLegacyNamesAndRejectsBadValues() throws Exception {
        Files.createDirectories(prefect.home());
        Files.writeString(prefect.profilesFile(), """
                active = "dev"

                [profiles.dev]
                PREFECT_API_DATABASE_CONNECTION_URL = "sqlite+aiosqlite:////tmp/x.db"
                PREFECT_LOGGING_SERVER_LEVEL = "INFO"
                """);
        CliResult ok = prefect.run("config", "validate");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertEquals("Configuration valid!\n", ok.stdout());
        String rewritten = Files.readString(prefect.profilesFile());
        assertTrue(rewritten.contains("PREFECT_SERVER_DATABASE_CONNECTION_URL = \"sqlite+aiosqlite:////tmp/x.db\""), rewritten);
        assertTrue(rewritten.contains("PREFECT_SERVER_LOGGING_LEVEL = \"INFO\""), rewritten);
        assertFalse(rewritten.contains("PREFECT_API_DATABASE_CONNECTION_URL"), rewritten);

        Files.writeString(prefect.profilesFile(), "active = \"dev\"\n\n[profiles.dev]\nPREFECT_SERVER_API_PORT = \"x\"\n");
        assertError(prefect.run("config", "validate"), "Validation error(s) for setting PREFECT_SERVER_API_PORT");
    }

    private static void assertError(CliResult result, String message) {
        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.stderr().contains(message), () -> "expected '" + message + "' in\n" + result);
    }

    /** The text after {@code NAME=} on the line of {@code config view} that names the setting. */
    private static String viewValue(CliResult view, String name) {
        assertEquals(0, view.exitCode(), view::toString);
        return view.stdout().lines().filter(l -> l.startsWith(name + "=")).findFirst()
                .map(l -> l.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError(name + " not in\n" + view));
    }
}
