package org.openprefect.appliance.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Source precedence and computed defaults, with a real profiles file in a temporary PREFECT_HOME. */
class SettingsLoaderTest {
    @TempDir
    Path temp;

    private Settings load(Map<String, String> env, String profileOverride) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.putIfAbsent("PREFECT_HOME", temp.resolve("home").toString());
        return new SettingsLoader(new SettingsEnvironment(withHome, temp, profileOverride)).load();
    }

    @Test
    void defaultsAreUpstreamsAndComputedOnesFollowPrefectHome() {
        Settings s = load(Map.of(), null);
        assertEquals("127.0.0.1", s.text("server.api.host"));
        assertEquals(4200, s.integer("server.api.port"));
        assertEquals("sqlite+aiosqlite:///" + temp.resolve("home/prefect.db"), s.text("server.database.connection_url"));
        assertEquals(temp.resolve("home/profiles.toml").toString(), s.text("profiles_path"));
        assertEquals("ephemeral", s.profileName());
        assertTrue(s.bool("server.ephemeral.enabled"), "the shipped ephemeral profile turns ephemeral mode on");
        assertEquals(SettingSource.PROFILE, s.get("server.ephemeral.enabled").source());
    }

    @Test
    void environmentNamesAreCaseInsensitiveAndCanonicalBeatsLegacy() {
        Settings s = load(Map.of("prefect_server_api_port", "4301",
                "PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///legacy.db",
                "PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:///canonical.db"), null);
        assertEquals(4301, s.integer("server.api.port"));
        assertEquals("sqlite+aiosqlite:///canonical.db", s.text("server.database.connection_url"));
    }

    @Test
    void passwordPlaceholderIsFilledFromThePasswordSetting() {
        Settings s = load(Map.of("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql+asyncpg://u:${PREFECT_SERVER_DATABASE_PASSWORD}@db/p",
                "PREFECT_SERVER_DATABASE_PASSWORD", "pw"), null);
        assertEquals("postgresql+asyncpg://u:pw@db/p", s.text("server.database.connection_url"));
        SettingsException missing = assertThrows(SettingsException.class, () -> load(
                Map.of("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://u:${PREFECT_API_DATABASE_PASSWORD}@db/p"), null));
        assertEquals("database password is None - please set PREFECT_SERVER_DATABASE_PASSWORD", missing.getMessage());
    }

    @Test
    void componentSettingsAssembleAPostgresUrl() {
        Settings s = load(Map.of("PREFECT_SERVER_DATABASE_DRIVER", "postgresql+asyncpg", "PREFECT_SERVER_DATABASE_HOST", "db",
                "PREFECT_SERVER_DATABASE_USER", "prefect", "PREFECT_SERVER_DATABASE_PASSWORD", "p@ss word",
                "PREFECT_SERVER_DATABASE_NAME", "orchestration"), null);
        assertEquals("postgresql+asyncpg://prefect:p%40ss+word@db:5432/orchestration", s.text("server.database.connection_url"));
    }

    @Test
    void profileFileSelectionAndOverride() throws Exception {
        Files.createDirectories(temp.resolve("home"));
        Files.writeString(temp.resolve("home/profiles.toml"), """
                active = "a"
                [profiles.a]
                PREFECT_SERVER_API_PORT = "1111"
                [profiles.b]
                PREFECT_SERVER_API_PORT = 2222
                PREFECT_SERVER_UI_ENABLED = false
                """);
        assertEquals(1111, load(Map.of(), null).integer("server.api.port"));
        assertEquals(2222, load(Map.of("PREFECT_PROFILE", "b"), null).integer("server.api.port"));
        Settings b = load(Map.of("PREFECT_SERVER_API_PORT", "3333"), "b");
        assertEquals(2222, b.integer("server.api.port"), "--profile outranks the environment");
        assertEquals(false, b.bool("server.ui.enabled"));
        assertEquals("False", b.get("server.ui.enabled").rawValue());
        assertThrows(SettingsException.class, () -> load(Map.of(), "missing"));
    }
}
