package org.openprefect.it.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's HTML over plain HTTP (no browser needed): escaping, errors as pages, refused
 * cross-site posts, cached assets, and the official UI's link paths.
 */
class DashboardHttpTest {
    private static RunningServer server;
    private static Api api;
    private static DashboardSeed seed;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-dashboard-http-")));
        api = new Api(server.api(""));
        seed = DashboardSeed.create(api, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void userDataIsEscapedEverywhere() {
        for (String path : new String[] {"/runs/flow-run/" + seed.runningRunId, "/artifacts", "/events"}) {
            String page = Http.get(server.base() + path).body();
            assertFalse(page.contains(DashboardSeed.MARKUP), path + " carries the user's markup unescaped");
        }
        String run = Http.get(server.base() + "/runs/flow-run/" + seed.runningRunId).body();
        assertTrue(run.contains("Beginning flow run &lt;img src&#x3D;x onerror&#x3D;&quot;document.title&#x3D;&#39;pwned&#39;&quot;&gt;"), run);
    }

    @Test
    void aPageAnswersWithTheHeadersOfAnHtmlPage() {
        HttpResponse<String> page = Http.get(server.base() + "/dashboard");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"));
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(null));
        assertEquals(200, Http.get(server.base() + "/").statusCode(), "the dashboard is the landing page");
    }

    @Test
    void assetsAreServedFromTheJarUnderTheirHashForAYear() {
        String page = Http.get(server.base() + "/runs").body();
        Matcher htmx = Pattern.compile("src=\"(/static/[0-9a-f]{16}/htmx\\.min\\.js)\"").matcher(page);
        assertTrue(htmx.find(), page);
        HttpResponse<String> asset = Http.get(server.base() + htmx.group(1));
        assertEquals(200, asset.statusCode());
        assertEquals("public, max-age=31536000, immutable", asset.headers().firstValue("cache-control").orElse(null));
        assertTrue(asset.body().contains("htmx"), "htmx itself");
        assertEquals(404, Http.get(server.base() + "/static/0000000000000000/htmx.min.js").statusCode(), "an old hash is gone");
        assertFalse(page.contains("http://") && page.matches("(?s).*(src|href)=\"https?://.*"), "nothing is loaded from another origin");
    }

    @Test
    void unknownThingsAnswerAPageThatSaysSo() {
        HttpResponse<String> missing = Http.get(server.base() + "/runs/flow-run/6f1c6a0e-0000-4000-8000-000000000000");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("Not found"), missing.body());
        assertEquals(404, Http.get(server.base() + "/runs/flow-run/not-a-uuid").statusCode());
        assertEquals(404, Http.get(server.base() + "/work-pools/work-pool/nope").statusCode());
        HttpResponse<String> strange = Http.get(server.base() + "/runs?state=NOPE&window=forever&page=-3&sort=DROP");
        assertEquals(200, strange.statusCode(), "a bad filter is ignored, not an error");
    }

    @Test
    void aPostFromAnotherSiteIsRefusedAndChangesNothing() {
        String run = DashboardSeed.run(api, seed.flowId, "guarded-run", "RUNNING", "{}");
        HttpResponse<String> refused = Http.method("POST", server.base() + "/runs/flow-run/" + run + "/cancel", "",
                "Origin", "http://evil.example", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, refused.statusCode());
        assertEquals("RUNNING", api.get("/flow_runs/" + run, 200).get("state_type").asText());
        HttpResponse<String> crossSite = Http.method("POST", server.base() + "/runs/flow-run/" + run + "/cancel", "",
                "Sec-Fetch-Site", "cross-site", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, crossSite.statusCode());
        HttpResponse<String> sameOrigin = Http.method("POST", server.base() + "/runs/flow-run/" + run + "/cancel", "",
                "Origin", server.base(), "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, sameOrigin.statusCode());
        assertEquals("CANCELLED", api.get("/flow_runs/" + run, 200).get("state_type").asText());
    }

    @Test
    void aRetryTheRulesRefuseSaysWhy() {
        HttpResponse<String> retry = Http.method("POST", server.base() + "/runs/flow-run/" + seed.failedRunId + "/retry", "",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, retry.statusCode());
        String back = Http.get(server.base() + retry.headers().firstValue("location").orElseThrow()).body();
        assertTrue(back.contains("Retry: aborted (Cannot reschedule a flow run without a deployment.)."), back);
        assertEquals("FAILED", api.get("/flow_runs/" + seed.failedRunId, 200).get("state_type").asText(),
                "a run without a deployment is not retried (upstream's rule)");
    }
}
