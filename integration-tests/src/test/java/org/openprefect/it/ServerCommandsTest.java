package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect server start|stop|status} as an operator runs them. */
class ServerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    Prefect prefect;

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
    }

    @Test
    void backgroundServerStartsAnswersAndStops() throws Exception {
        int port = Prefect.freePort();
        String apiUrl = "http://127.0.0.1:" + port + "/api";
        CliResult start = prefect.run("server", "start", "--port", Integer.toString(port), "--background");
        try {
            assertEquals(0, start.exitCode(), start::toString);
            assertTrue(start.stdout().contains("prefect config set PREFECT_API_URL=" + apiUrl), start::toString);
            assertTrue(start.stdout().contains("Check out the dashboard at http://127.0.0.1:" + port), start::toString);
            assertTrue(start.stdout().contains("The Prefect server is running in the background. Run `prefect server stop` to stop it."), start::toString);
            Path pidFile = prefect.home().resolve("server.pid");
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid file names a live process");
            assertTrue(Files.exists(prefect.home().resolve("prefect.db")), "the default database lives in PREFECT_HOME");
            assertEquals("true", Http.get(apiUrl + "/health").body());

            CliResult second = prefect.run("server", "start", "--port", Integer.toString(Prefect.freePort()), "--background");
            assertEquals(1, second.exitCode(), second::toString);
            assertTrue(second.stderr().contains("A server is already running in the background. To stop it, run `prefect server stop`."), second::toString);

            CliResult status = prefect.run(Map.of("PREFECT_API_URL", apiUrl), "server", "status");
            assertEquals(0, status.exitCode(), status::toString);
            assertEquals("Server is available.\nAPI URL: " + apiUrl + "\nServer version: 3.8.4\n", status.stdout());
            JsonNode json = JSON.readTree(prefect.run(Map.of("PREFECT_API_URL", apiUrl), "server", "status", "-o", "json").stdout());
            assertEquals("available", json.get("status").asText());
            assertEquals("3.8.4", json.get("server_version").asText());
        } finally {
            CliResult stop = prefect.run("server", "stop");
            assertEquals(0, stop.exitCode(), stop::toString);
            assertEquals("Server stopped!\n", stop.stdout());
        }
        assertFalse(Files.exists(prefect.home().resolve("server.pid")));
        assertEquals("No server running in the background.\n", prefect.run("server", "stop").stdout());

        CliResult down = prefect.run(Map.of("PREFECT_API_URL", apiUrl), "server", "status", "--output", "json");
        assertEquals(1, down.exitCode(), down::toString);
        assertEquals("unavailable", JSON.readTree(down.stdout()).get("status").asText());
        CliResult waited = prefect.run(Map.of("PREFECT_API_URL", apiUrl), "server", "status", "--wait", "--timeout", "1", "-o", "json");
        assertEquals(1, waited.exitCode());
        assertEquals("timed_out", JSON.readTree(waited.stdout()).get("status").asText());
    }

    @Test
    void staleBackgroundPidFileIsCleanedUp() throws Exception {
        Files.createDirectories(prefect.home());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(prefect.home().resolve("server.pid"), Long.toString(gone.pid()));
        CliResult stop = prefect.run("server", "stop");
        assertEquals(0, stop.exitCode());
        assertEquals("The server process is not running. Cleaning up stale PID file.\n", stop.stdout());
        assertFalse(Files.exists(prefect.home().resolve("server.pid")));
    }

    @Test
    void foregroundServerStopsCleanlyOnSigterm() throws Exception {
        RunningServer server = RunningServer.start(prefect);
        assertEquals(0, server.terminate(), "SIGTERM ends the server with exit 0");
        assertFalse(server.stderr().contains("Exception"), server.stderr());
        assertFalse(server.stdout().contains("Exception"), server.stdout());
    }

    @Test
    void badPortHostAndBusyPortAreClearErrors() throws Exception {
        CliResult notNumber = prefect.run("server", "start", "--port", "abc");
        assertEquals(2, notNumber.exitCode(), notNumber::toString);
        assertTrue(notNumber.stderr().contains("Invalid value for option '--port'"), notNumber::toString);

        CliResult outOfRange = prefect.run("server", "start", "--port", "70000");
        assertEquals(1, outOfRange.exitCode(), outOfRange::toString);
        assertEquals("Invalid port 70000. Please specify a port between 0 and 65535.\n", outOfRange.stderr());

        CliResult badEnv = prefect.run(Map.of("PREFECT_SERVER_API_PORT", "forty-two"), "server", "start");
        assertEquals(1, badEnv.exitCode(), badEnv::toString);
        assertTrue(badEnv.stderr().contains("Validation error(s) for setting PREFECT_SERVER_API_PORT"), badEnv::toString);

        CliResult badHost = prefect.run("server", "start", "--host", "no-such-host.invalid");
        assertEquals(1, badHost.exitCode(), badHost::toString);
        assertEquals("Invalid host 'no-such-host.invalid'. Please specify a valid hostname or IP address.\n", badHost.stderr());

        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliResult inUse = prefect.run("server", "start", "--port", Integer.toString(busy.getLocalPort()));
            assertEquals(1, inUse.exitCode(), inUse::toString);
            assertEquals("Port " + busy.getLocalPort() + " is already in use. Please specify a different port with the `--port` flag.\n",
                    inUse.stderr());
        }
        CliResult workers = prefect.run("server", "start", "--workers", "2");
        assertEquals(1, workers.exitCode());
        assertFalse(Files.exists(prefect.home().resolve("server.pid")), "failed starts leave no pid file");
    }

    @Test
    void statusWithoutApiUrlSaysWhatToSet() {
        CliResult status = prefect.run("server", "status");
        assertEquals(1, status.exitCode());
        assertTrue(status.stderr().contains("No Prefect API URL configured"), status::toString);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][]{{"--help"}, {"server", "--help"}, {"server", "start", "--help"},
                {"server", "stop", "--help"}, {"server", "status", "--help"}, {"config", "--help"}, {"config", "set", "--help"},
                {"config", "unset", "--help"}, {"config", "view", "--help"}, {"config", "validate", "--help"},
                {"profile", "--help"}, {"profile", "ls", "--help"}, {"profile", "create", "--help"}, {"profile", "use", "--help"},
                {"profile", "delete", "--help"}, {"profile", "rename", "--help"}, {"profile", "inspect", "--help"},
                {"profile", "populate-defaults", "--help"}, {"doctor", "--help"}, {"server", "database", "--help"},
                {"server", "database", "upgrade", "--help"}, {"server", "database", "downgrade", "--help"},
                {"server", "database", "backup", "--help"}, {"server", "database", "restore", "--help"}}) {
            CliResult help = prefect.run(command);
            assertEquals(0, help.exitCode(), () -> String.join(" ", command) + "\n" + help);
            assertTrue(help.stdout().startsWith("Usage: prefect"), () -> String.join(" ", command) + "\n" + help);
        }
        CliResult version = prefect.run("--version");
        assertEquals("3.8.4\n", version.stdout());
    }
}
