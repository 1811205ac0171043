package org.openprefect.it.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Browser;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard as a person uses it, in headless Chromium: every page with a thousand runs seeded
 * through the API, what each shows, the live parts (a new run, a running run's logs) and the
 * buttons (cancel, run now, pause), with no console error anywhere. Screenshots go to
 * {@code target/screenshots}.
 * The first test sees the seed alone (its counts); the others add runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static RunningServer server;
    private static Api api;
    private static DashboardSeed seed;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.open();
        // No scheduler: the deployment's schedule would add runs while the counts are read.
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-dashboard-"))
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED", "false"));
        api = new Api(server.api(""));
        seed = DashboardSeed.create(api, 1000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static WebDriver open(String path) {
        WebDriver driver = browser.driver();
        driver.get(server.base() + path);
        return driver;
    }

    private static String text(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getText();
    }

    private static WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(browser.driver(), timeout, Duration.ofMillis(100));
    }

    @Test
    @Order(1)
    void everyPageShowsTheSeededDataWithoutAConsoleError() throws Exception {
        Map<String, List<String>> pages = Map.ofEntries(
                Map.entry("/dashboard", List.of("1002", "sad-panda", "process pool", "prefect.work-pool.not-ready")),
                Map.entry("/runs", List.of("1002 flow runs", "done-999", "report-weekly", "Completed")),
                Map.entry("/runs/flow-run/" + seed.runningRunId, List.of("brave-otter", "extract-0", "Beginning flow run", "2026-12-06")),
                Map.entry("/flows", List.of("etl-nightly", "report-weekly")),
                Map.entry("/flows/flow/" + seed.flowId, List.of("etl-nightly", "daily", "done-998")),
                Map.entry("/deployments", List.of("daily", "etl-nightly", "process pool")),
                Map.entry("/deployments/deployment/" + seed.deploymentId, List.of("daily", "Every 1h 00m", "\"day\" : \"today\"")),
                Map.entry("/work-pools", List.of("process pool", "process")),
                Map.entry("/work-pools/work-pool/process%20pool", List.of("process pool", "default")),
                Map.entry("/concurrency-limits", List.of("database", "io")),
                Map.entry("/blocks", List.of("warehouse-password", "Secret")),
                Map.entry("/variables", List.of("region", "\"eu-west-1\"")),
                Map.entry("/artifacts", List.of("report", "numbers", "markdown", "table")),
                Map.entry("/events?event=prefect.flow-run.Running", List.of("prefect.flow-run.Running", "brave-otter")),
                Map.entry("/settings", List.of("3.8.4", "sqlite", "r0011")));
        browser.consoleErrors();
        for (Map.Entry<String, List<String>> page : pages.entrySet()) {
            open(page.getKey());
            String body = text("main");
            for (String expected : page.getValue()) {
                assertTrue(body.contains(expected), page.getKey() + " should show " + expected + ":\n" + body);
            }
            assertFalse(body.contains(DashboardSeed.SECRET), page.getKey() + " shows a secret");
            assertEquals(List.of(), browser.consoleErrors(), page.getKey());
            String title = browser.driver().getTitle();
            assertFalse(title.contains("pwned"), "markup from the user's data ran on " + page.getKey());
            browser.screenshot("dashboard" + page.getKey().replaceAll("\\?.*", "").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "item")
                    .replaceAll("[^A-Za-z0-9-]+", "_"));
        }
        open("/artifacts");
        browser.driver().findElement(By.linkText("report")).click();
        assertEquals("Nightly report", text("#artifact-markdown h1"));
        assertTrue(text("#artifact-markdown").contains(DashboardSeed.MARKUP), "the markup is shown as text");
        open("/artifacts");
        browser.driver().findElement(By.linkText("numbers")).click();
        assertEquals("orders", text("#artifact-table tbody td:nth-child(2)"));
    }

    @Test
    void aNewRunAppearsOnTheRunsPageWithinTwoSeconds() {
        open("/runs?window=1h");
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElements(By.cssSelector("#runs-table tbody tr")).isEmpty());
        String created = DashboardSeed.run(api, seed.flowId, "fresh-fox", "SCHEDULED", "{}");
        long createdAt = System.nanoTime();
        waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-run-id='" + created + "']")));
        System.out.printf("a new run appeared on the runs page %d ms after it was created%n", (System.nanoTime() - createdAt) / 1_000_000);
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theRunsPageFiltersByStateAndPages() {
        open("/runs");
        browser.driver().findElement(By.cssSelector("input[name=state][value=FAILED]")).click();
        browser.driver().findElement(By.cssSelector("form.filters button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("state=FAILED"));
        assertEquals("1", text("#run-count"));
        assertEquals("sad-panda", text("#runs-table tbody td a"));
        open("/runs?state=COMPLETED");
        assertEquals("1000", text("#run-count"));
        browser.driver().findElement(By.cssSelector("a[rel=next]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("page=2"));
        assertTrue(text("#runs-table").contains("page 2 of 40"), text("#runs-table"));
    }

    @Test
    void aRunningRunsLogsAppearLiveAndCancellingItEndsItCancelled() throws Exception {
        String run = DashboardSeed.run(api, seed.flowId, "long-haul", "RUNNING", "{}");
        open("/runs/flow-run/" + run);
        assertEquals("Running", text("#run-state"));
        DashboardSeed.log(api, run, 20, "row 1 of 3 loaded");
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "row 1 of 3 loaded"));
        DashboardSeed.log(api, run, 40, "row 2 failed to parse");
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "row 2 failed to parse"));
        new Select(browser.driver().findElement(By.name("level"))).selectByValue("40");
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("level=40"));
        assertFalse(text("#logs").contains("row 1 of 3 loaded"), "INFO lines are filtered out at ERROR");
        assertTrue(text("#logs").contains("row 2 failed to parse"));

        browser.driver().findElement(By.id("cancel-run")).click();
        Alert confirm = waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        confirm.accept();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Cancelled"));
        assertTrue(text("#action-result").startsWith("Cancel: accepted"), text("#action-result"));
        assertEquals("CANCELLED", api.get("/flow_runs/" + run, 200).get("state_type").asText());
        assertTrue(text("#state-history").contains("Cancelled"));
        assertTrue(browser.driver().findElements(By.id("cancel-run")).isEmpty(), "a cancelled run has no cancel button");
        assertEquals(List.of(), browser.consoleErrors());
        browser.screenshot("dashboard_run_cancelled");
    }

    @Test
    void runNowStartsARunWithTheFormsParametersAndPauseStopsTheSchedules() {
        open("/deployments/deployment/" + seed.deploymentId);
        WebElement parameters = browser.driver().findElement(By.id("run-parameters"));
        parameters.clear();
        parameters.sendKeys("{\"day\": \"2026-12-24\"}");
        browser.driver().findElement(By.id("run-deployment")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre#parameters"), "2026-12-24"));
        String runId = browser.driver().getCurrentUrl().replaceAll(".*/runs/flow-run/", "");
        assertEquals(seed.deploymentId, api.get("/flow_runs/" + runId, 200).get("deployment_id").asText());

        open("/deployments/deployment/" + seed.deploymentId);
        browser.driver().findElement(By.id("pause-deployment")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("deployment-status"), "PAUSED"));
        assertTrue(api.get("/deployments/" + seed.deploymentId, 200).get("paused").asBoolean());
        browser.driver().findElement(By.id("resume-deployment")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(By.id("pause-deployment")));
        assertFalse(api.get("/deployments/" + seed.deploymentId, 200).get("paused").asBoolean());

        open("/deployments/deployment/" + seed.deploymentId);
        parameters = browser.driver().findElement(By.id("run-parameters"));
        parameters.clear();
        parameters.sendKeys("[not json");
        browser.driver().findElement(By.id("run-deployment")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "Parameters must be a JSON object"));
        assertEquals(List.of(), browser.consoleErrors().stream().filter(e -> !e.contains("422")).toList());
    }

    @Test
    void onAPhoneThePagesFitTheScreenAndTheKeyboardReachesTheActions() throws Exception {
        String run = DashboardSeed.run(api, seed.flowId, "thumb-run", "RUNNING", "{}");
        try {
            browser.resize(390, 844);
            for (String path : List.of("/dashboard", "/runs", "/runs/flow-run/" + run, "/deployments/deployment/" + seed.deploymentId)) {
                open(path);
                long overflow = (Long) ((JavascriptExecutor) browser.driver())
                        .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertEquals(0, overflow, path + " scrolls sideways on a phone");
            }
            open("/runs/flow-run/" + run);
            browser.screenshot("dashboard_phone_run");
            WebElement focused = null;
            for (int i = 0; i < 40; i++) {
                new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
                focused = browser.driver().switchTo().activeElement();
                if ("cancel-run".equals(focused.getAttribute("id"))) {
                    break;
                }
            }
            assertEquals("cancel-run", focused.getAttribute("id"), "the cancel button is reachable with Tab");
        } finally {
            browser.resize(1280, 1000);
        }
    }
}
