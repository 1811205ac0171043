package org.openprefect.it.dashboard;

import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Browser;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard under {@code PREFECT_SERVER_UI_SERVE_BASE=/prefect} (as behind a reverse proxy's
 * path) with Basic auth on: the browser is challenged, and once signed in every link, asset, live
 * part and action stays under the base.
 */
class DashboardBehindBaseAndAuthTest {
    private static final String AUTH = "admin:correct horse";

    @Test
    void pagesAreChallengedAndWorkUnderTheBaseOnceSignedIn() throws Exception {
        try (Browser browser = Browser.open();
             RunningServer server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-dashboard-auth-"))
                     .env("PREFECT_SERVER_UI_SERVE_BASE", "/prefect").env("PREFECT_SERVER_API_AUTH_STRING", AUTH))) {
            HttpResponse<String> anonymous = Http.get(server.base() + "/prefect/runs");
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("www-authenticate").orElse("").startsWith("Basic realm=\"Prefect\""));
            String basic = "Basic " + Base64.getEncoder().encodeToString(AUTH.getBytes(StandardCharsets.UTF_8));
            String flow = Api.JSON.readTree(Http.method("POST", server.api("/flows/"), "{\"name\":\"guarded\"}", "Content-Type", "application/json",
                    "Authorization", basic).body()).get("id").asText();
            String run = Api.JSON.readTree(Http.method("POST", server.api("/flow_runs/"), "{\"flow_id\":\"" + flow + "\",\"name\":\"behind-proxy\","
                    + "\"state\":{\"type\":\"RUNNING\"}}", "Content-Type", "application/json", "Authorization", basic).body()).get("id").asText();

            browser.signIn(AUTH);
            browser.driver().get(server.base() + "/prefect/");
            assertTrue(browser.driver().findElement(By.cssSelector("main")).getText().contains("Flow runs"));
            browser.driver().findElement(By.linkText("Runs")).click();
            new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(ExpectedConditions.urlToBe(server.base() + "/prefect/runs"));
            browser.driver().findElement(By.linkText("behind-proxy")).click();
            new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("/prefect/runs/flow-run/" + run));
            for (String href : browser.driver().findElements(By.cssSelector("a[href^='/'], link[href], script[src], form[action^='/']")).stream()
                    .map(e -> e.getAttribute(e.getTagName().equals("script") ? "src" : e.getTagName().equals("form") ? "action" : "href")).toList()) {
                assertTrue(href.startsWith(server.base() + "/prefect/") || href.startsWith("/prefect/") || href.contains("/api/"), href);
            }
            browser.driver().findElement(By.id("cancel-run")).click();
            new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
            new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"),
                    "Cancelled"));
            assertEquals(List.of(), browser.consoleErrors());
            assertEquals(200, Http.get(server.base() + browser.driver().findElement(By.cssSelector("link[rel=stylesheet]"))
                    .getAttribute("href").replace(server.base(), "")).statusCode(), "the stylesheet needs no credentials");
        }
    }
}
