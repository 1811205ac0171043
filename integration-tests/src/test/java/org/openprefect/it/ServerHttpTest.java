package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's basic routes over real HTTP, against one server started with `prefect server start`. */
class ServerHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        Prefect prefect = new Prefect(temp)
                .env("PREFECT_SERVER_DATABASE_PASSWORD", "pa55word")
                .env("PREFECT_API_KEY", "pnu_secret");
        server = RunningServer.start(prefect);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void rootRoutesAnswerAsUpstream() throws Exception {
        assertBody(200, "true", Http.get(server.api("/health")));
        assertBody(200, "{\"message\":\"OK\"}", Http.get(server.api("/ready")));
        assertBody(200, "\"👋\"", Http.get(server.api("/hello")));
        assertBody(200, "\"0.8.4\"", Http.get(server.api("/version")));
        assertBody(200, "\"3.8.4\"", Http.get(server.api("/admin/version")));
        assertEquals("application/json", Http.get(server.api("/health")).headers().firstValue("content-type").orElse(""));
    }

    @Test
    void apiVersionHeaderIsCheckedWhenSent() throws Exception {
        assertBody(200, "\"👋\"", Http.get(server.api("/hello"), "X-PREFECT-API-VERSION", "0.8.4"));
        var bad = Http.get(server.api("/hello"), "X-PREFECT-API-VERSION", "not a real version header");
        assertEquals(400, bad.statusCode());
        assertTrue(JSON.readTree(bad.body()).get("detail").asText().startsWith("Invalid X-PREFECT-API-VERSION header format."));
        assertEquals(400, Http.get(server.api("/hello"), "X-PREFECT-API-VERSION", "0.7.9").statusCode());
    }

    @Test
    void trailingSlashesAreTolerated() {
        assertBody(200, "true", Http.get(server.api("/health/")));
        assertBody(200, "\"3.8.4\"", Http.get(server.api("/admin/version/")));
    }

    @Test
    void unknownPathsAndMethodsGetUpstreamBodies() {
        assertBody(404, "{\"detail\":\"Not Found\"}", Http.get(server.api("/no/such/route")));
        HttpResponse<String> wrongMethod = Http.method("POST", server.api("/health"), "{}", "Content-Type", "application/json");
        assertBody(405, "{\"detail\":\"Method Not Allowed\"}", wrongMethod);
        assertEquals("GET", wrongMethod.headers().firstValue("allow").orElse(""));
    }

    @Test
    void csrfTokenSaysProtectionIsDisabled() throws Exception {
        assertBody(422, "{\"detail\":\"CSRF protection is disabled.\"}", Http.get(server.api("/csrf-token?client=abc")));
        HttpResponse<String> missing = Http.get(server.api("/csrf-token"));
        assertEquals(422, missing.statusCode());
        JsonNode body = JSON.readTree(missing.body());
        assertEquals("Invalid request received.", body.get("exception_message").asText());
        assertEquals("missing", body.at("/exception_detail/0/type").asText());
        assertEquals("[\"query\",\"client\"]", body.at("/exception_detail/0/loc").toString());
    }

    @Test
    void adminSettingsIsTheSettingsTreeWithSecretsMasked() throws Exception {
        HttpResponse<String> response = Http.get(server.api("/admin/settings"));
        assertEquals(200, response.statusCode());
        JsonNode settings = JSON.readTree(response.body());
        assertEquals(server.base().replace("http://127.0.0.1:", ""), settings.at("/server/api/port").asText());
        assertEquals("**********", settings.at("/server/database/password").asText());
        assertEquals("**********", settings.at("/api/key").asText());
        assertTrue(settings.at("/server/database/connection_url").asText().equals("**********"));
        assertEquals("PT1H", settings.at("/server/api/csrf_token_expiration").asText());
        assertEquals(200, settings.at("/server/api/default_limit").asInt());
        assertFalse(response.body().contains("pa55word"));
        assertFalse(response.body().contains("pnu_secret"));
    }

    @Test
    void largeBodiesAreGzippedWhenAccepted() throws Exception {
        HttpResponse<byte[]> plain = Http.getBytes(server.api("/openapi.json"));
        HttpResponse<byte[]> zipped = Http.getBytes(server.api("/openapi.json"), "Accept-Encoding", "gzip");
        assertEquals("gzip", zipped.headers().firstValue("content-encoding").orElse(""));
        assertFalse(plain.headers().firstValue("content-encoding").isPresent());
        assertTrue(zipped.body().length < plain.body().length / 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        // Small bodies are not worth compressing, as upstream's middleware decides.
        assertFalse(Http.getBytes(server.api("/health"), "Accept-Encoding", "gzip").headers().firstValue("content-encoding").isPresent());
    }

    @Test
    void systemPageShowsVersionDatabaseAndRevision() {
        assertEquals(200, Http.get(server.base() + "/").statusCode(), "the dashboard is the landing page");
        HttpResponse<String> page = Http.get(server.base() + "/settings");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<td id=\"prefect-version\">3.8.4</td>"), page.body());
        assertTrue(page.body().contains("<td id=\"database\">sqlite</td>"), page.body());
        assertTrue(page.body().matches("(?s).*<td id=\"schema-revision\">r\\d{4}</td>.*"), page.body());
        HttpResponse<String> docs = Http.get(server.base() + "/docs");
        assertEquals(200, docs.statusCode());
        assertTrue(docs.body().contains("/api/flow_runs/filter"), "docs list the API's operations");
    }

    private static void assertBody(int status, String body, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(body, new String(response.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
