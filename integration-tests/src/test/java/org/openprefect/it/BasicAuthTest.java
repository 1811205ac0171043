package org.openprefect.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PREFECT_SERVER_API_AUTH_STRING on and off, with the CLI's client sending PREFECT_API_AUTH_STRING. */
class BasicAuthTest {
    @TempDir
    Path temp;

    @Test
    void apiNeedsBasicAuthExceptHealthAndReady() throws Exception {
        Prefect prefect = new Prefect(temp).env("PREFECT_SERVER_API_AUTH_STRING", "admin:s3cret");
        try (RunningServer server = RunningServer.start(prefect)) {
            String good = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
            String bad = "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));

            assertEquals(200, Http.get(server.api("/health")).statusCode());
            assertEquals(200, Http.get(server.api("/ready")).statusCode());
            var denied = Http.get(server.api("/hello"));
            assertEquals(401, denied.statusCode());
            assertEquals("{\"exception_message\":\"Unauthorized\"}", denied.body());
            assertEquals(401, Http.get(server.api("/admin/version"), "Authorization", bad).statusCode());
            assertEquals(401, Http.get(server.api("/admin/version"), "Authorization", "Basic !!notbase64").statusCode());
            assertEquals(401, Http.get(server.api("/no/such/route")).statusCode(), "unknown API paths are protected too");
            assertEquals(200, Http.get(server.api("/admin/version"), "Authorization", good).statusCode());
            // Our dashboard renders data into its pages, so unlike upstream's UI app it is protected, with a browser challenge.
            var page = Http.get(server.base() + "/");
            assertEquals(401, page.statusCode());
            assertEquals("Basic realm=\"Prefect\", charset=\"UTF-8\"", page.headers().firstValue("www-authenticate").orElse(null));
            assertEquals(200, Http.get(server.base() + "/", "Authorization", good).statusCode());

            Map<String, String> client = Map.of("PREFECT_API_URL", server.api(""));
            CliResult noCredentials = prefect.run(client, "server", "status");
            assertEquals(1, noCredentials.exitCode(), noCredentials::toString);
            CliResult withCredentials = prefect.run(Map.of("PREFECT_API_URL", server.api(""), "PREFECT_API_AUTH_STRING", "admin:s3cret"),
                    "server", "status");
            assertEquals(0, withCredentials.exitCode(), withCredentials::toString);
        }
    }

    @Test
    void withoutAuthStringEverythingIsOpen() throws Exception {
        try (RunningServer server = RunningServer.start(new Prefect(temp))) {
            assertEquals(200, Http.get(server.api("/admin/version")).statusCode());
        }
    }

    @Test
    void databaseEchoLogsStatementsButNoSecrets() throws Exception {
        Prefect prefect = new Prefect(temp).env("PREFECT_SERVER_DATABASE_ECHO", "true")
                .env("PREFECT_SERVER_DATABASE_PASSWORD", "do-not-log-me");
        try (RunningServer server = RunningServer.start(prefect)) {
            assertEquals(200, Http.get(server.api("/ready")).statusCode());
            server.terminate();
            String log = server.stdout() + server.stderr();
            Assertions.assertTrue(log.contains("SELECT 1"), log);
            Assertions.assertFalse(log.contains("do-not-log-me"), log);
        }
    }
}
