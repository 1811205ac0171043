package org.openprefect.it.ui;

import org.junit.jupiter.api.Test;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving a built official UI from {@code PREFECT_SERVER_UI_STATIC_DIRECTORY} under a base path, and
 * CORS with an explicit origin list and Basic auth: what a browser on the UI's origin meets.
 */
class UiServingTest {
    private static final String PLACEHOLDER = "/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER";

    /** A stand-in for the wheel's {@code prefect/server/ui}: an index and a hashed asset that name the base placeholder. */
    private static Path uiBuild() throws Exception {
        Path dir = Files.createTempDirectory("openprefect-ui-build-");
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><script type=\"module\" src=\"" + PLACEHOLDER
                + "/assets/index-3f2a1b.js\"></script></head><body><div id=\"app\"></div></body></html>");
        Files.writeString(dir.resolve("assets/index-3f2a1b.js"), "const base = \"" + PLACEHOLDER + "\";\n" + "// padding\n".repeat(200));
        return dir;
    }

    @Test
    void aBuiltUiIsServedUnderItsBaseWithTheApiItCameFrom() throws Exception {
        Path build = uiBuild();
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-ui-")).env("PREFECT_SERVER_UI_STATIC_DIRECTORY", build.toString())
                .env("PREFECT_SERVER_UI_SERVE_BASE", "/prefect");
        try (RunningServer server = RunningServer.start(prefect)) {
            HttpResponse<String> index = Http.get(server.base() + "/prefect/");
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("src=\"/prefect/assets/index-3f2a1b.js\""), index.body());
            assertEquals("no-cache", index.headers().firstValue("cache-control").orElse(null));

            HttpResponse<String> asset = Http.get(server.base() + "/prefect/assets/index-3f2a1b.js");
            assertTrue(asset.body().startsWith("const base = \"/prefect\";"), asset.body());
            assertEquals("public, max-age=31536000, immutable", asset.headers().firstValue("cache-control").orElse(null));
            assertTrue(asset.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
            HttpResponse<byte[]> gzipped = Http.getBytes(server.base() + "/prefect/assets/index-3f2a1b.js", "Accept-Encoding", "gzip");
            assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElse(null));
            String etag = asset.headers().firstValue("etag").orElseThrow();
            assertEquals(304, Http.get(server.base() + "/prefect/assets/index-3f2a1b.js", "If-None-Match", etag).statusCode());

            HttpResponse<String> route = Http.get(server.base() + "/prefect/runs/flow-run/6f1c6a0e-0000-4000-8000-000000000000");
            assertEquals(200, route.statusCode());
            assertEquals(index.body(), route.body(), "the single-page app's routes get its index");
            String settings = Http.get(server.base() + "/prefect/ui-settings").body();
            assertEquals("{\"api_url\":\"" + server.api("") + "\",\"csrf_enabled\":false,\"auth\":null,\"flags\":[]}", settings);
            HttpResponse<String> missing = Http.get(server.api("/no-such-route"));
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().startsWith("{"), "the API's 404s stay the API's: " + missing.body());
            assertEquals(200, Http.get(server.api("/health")).statusCode());
            assertTrue(Files.readString(build.resolve("index.html")).contains(PLACEHOLDER), "the build folder is left as it was");
        }
    }

    @Test
    void theConfiguredApiUrlAndAuthReachTheUi() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-ui-")).env("PREFECT_SERVER_UI_STATIC_DIRECTORY", uiBuild().toString())
                .env("PREFECT_UI_API_URL", "https://prefect.example.com/api").env("PREFECT_SERVER_API_AUTH_STRING", "admin:pass");
        try (RunningServer server = RunningServer.start(prefect)) {
            assertEquals("{\"api_url\":\"https://prefect.example.com/api\",\"csrf_enabled\":false,\"auth\":\"BASIC\",\"flags\":[]}",
                    Http.get(server.base() + "/ui-settings").body());
            assertEquals(200, Http.get(server.base() + "/").statusCode(), "the UI itself needs no credentials, as upstream's");
        }
    }

    @Test
    void aFolderWithoutABuildStopsTheStart() throws Exception {
        Path empty = Files.createTempDirectory("openprefect-not-ui-");
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-ui-")).env("PREFECT_SERVER_UI_STATIC_DIRECTORY", empty.toString());
        CliResult result = prefect.run("server", "start", "--port=" + Prefect.freePort());
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("holds no index.html"), result.toString());
    }

    @Test
    void corsFollowsTheAllowedOriginsBeforeAuthentication() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-cors-"))
                .env("PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS", "http://ui.example:3000,http://other.example")
                .env("PREFECT_SERVER_API_AUTH_STRING", "admin:pass");
        try (RunningServer server = RunningServer.start(prefect)) {
            HttpResponse<String> preflight = Http.method("OPTIONS", server.api("/flow_runs/filter"), null, "Origin", "http://ui.example:3000",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-prefect-ui,authorization");
            assertEquals(200, preflight.statusCode(), "answered before authentication: a preflight carries no credentials");
            assertEquals("OK", preflight.body());
            assertEquals("http://ui.example:3000", preflight.headers().firstValue("access-control-allow-origin").orElse(null));
            assertEquals("Origin", preflight.headers().firstValue("vary").orElse(null));
            assertEquals("content-type,x-prefect-ui,authorization", preflight.headers().firstValue("access-control-allow-headers").orElse(null));
            assertEquals("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", preflight.headers().firstValue("access-control-allow-methods").orElse(null));

            HttpResponse<String> refused = Http.method("OPTIONS", server.api("/flow_runs/filter"), null, "Origin", "http://evil.example",
                    "Access-Control-Request-Method", "POST");
            assertEquals(400, refused.statusCode());
            assertEquals("Disallowed CORS origin", refused.body());
            assertFalse(refused.headers().firstValue("access-control-allow-origin").isPresent());

            HttpResponse<String> unauthorized = Http.method("POST", server.api("/flow_runs/filter"), "{}", "Origin", "http://ui.example:3000",
                    "Content-Type", "application/json");
            assertEquals(401, unauthorized.statusCode());
            assertEquals("http://ui.example:3000", unauthorized.headers().firstValue("access-control-allow-origin").orElse(null),
                    "error answers carry it too, so the browser shows the 401 rather than a CORS failure");
            HttpResponse<String> foreign = Http.get(server.api("/health"), "Origin", "http://evil.example");
            assertEquals(200, foreign.statusCode());
            assertFalse(foreign.headers().firstValue("access-control-allow-origin").isPresent());
            assertEquals(401, Http.method("OPTIONS", server.api("/flow_runs/filter"), null).statusCode(),
                    "an OPTIONS without a preflight's headers is an ordinary request, and needs credentials");
        }
    }
}
