package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;

import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code prefect server services ls/start/stop}, {@code server start --no-services} and the
 * services' state in {@code /api/ready}: the API in one process, the services in another, on one
 * SQLite file.
 */
class ServicesCommandsTest {
    @Test
    void servicesAreListedWithTheirSettings() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-services-ls-"))
                .env("PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED", "false");
        CliResult table = prefect.run("server", "services", "ls");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.stdout().contains("Scheduler"), table.stdout());
        assertTrue(table.stdout().contains("✓ PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"), table.stdout());
        assertTrue(table.stdout().contains("x PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED"), table.stdout());
        CliResult json = prefect.run("server", "services", "list", "-o", "json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode rows = Api.JSON.readTree(json.stdout());
        assertEquals(8, rows.size());
        assertEquals("{\"name\":\"CancellationCleanup\",\"enabled\":true,\"environment_variable\":"
                + "\"PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED\",\"description\":"
                + "\"Cancels tasks and subflows of flow runs that have been cancelled\"}", rows.get(0).toString());
        assertEquals(2, prefect.run("server", "services", "ls", "-o", "yaml").exitCode());
    }

    @Test
    void theApiAndTheServicesRunInSeparateProcesses() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-services-"))
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "0.5")
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS", "0.3");
        try (RunningServer api = RunningServer.start(prefect, "--no-services")) {
            Api client = new Api(api.api(""));
            assertEquals("{\"message\":\"OK\"}", client.get("/ready", 200).toString(), "upstream's answer, exactly");
            JsonNode ready = client.get("/ready?services=true", 200);
            assertEquals("OK", ready.get("message").asText());
            assertEquals(2, ready.get("services").size(), ready::toString);
            assertEquals("run-rollup", ready.get("services").get(0).get("name").asText(),
                    "--no-services runs none of upstream's services, only the rollup's folding, which every process with a database runs");
            assertEquals("heap-release", ready.get("services").get(1).get("name").asText(), "and the loop that returns its own idle heap");

            String flowId = client.post("/flows/", "{\"name\":\"split-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
            String deploymentId = client.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"schedules\":"
                    + "[{\"schedule\":{\"interval\":600,\"anchor_date\":\"" + Instant.now() + "\"}}]}", 201).get("id").asText();
            String runs = "{\"deployments\":{\"id\":{\"any_\":[\"" + deploymentId + "\"]}}}";
            Thread.sleep(1500);
            assertEquals(0, client.post("/flow_runs/count", runs, 200).asInt(), "no scheduler in the API process");

            CliResult started = prefect.run("server", "services", "start", "-b");
            try {
                assertEquals(0, started.exitCode(), started.toString());
                assertTrue(started.stdout().contains("Services are running in the background."), started.stdout());
                assertEquals(1, prefect.run("server", "services", "start", "-b").exitCode(), "only one services process");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (client.post("/flow_runs/count", runs, 200).asInt() < 6) {
                    assertTrue(System.nanoTime() < deadline, "the services process schedules the runs");
                    Thread.sleep(200);
                }
            } finally {
                CliResult stopped = prefect.run("server", "services", "stop");
                assertEquals(0, stopped.exitCode(), stopped.toString());
                assertTrue(stopped.stdout().contains("All services stopped."), stopped.stdout());
            }
            assertFalse(Files.exists(prefect.home().resolve("services.pid")));
            CliResult again = prefect.run("server", "services", "stop");
            assertEquals("No services are running in the background.", again.stdout().strip());
        }
    }

    @Test
    void readinessListsTheServicesOfAServer() throws Exception {
        try (RunningServer server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-ready-")))) {
            JsonNode ready = new Api(server.api("")).get("/ready?services=true", 200);
            assertEquals("OK", ready.get("message").asText());
            StringBuilder names = new StringBuilder();
            ready.get("services").forEach(s -> names.append(s.get("name").asText()).append(' '));
            assertEquals("late-runs pause-expirations cancellation-cleanup foreman repossessor event-trimming scheduler recent-deployments-scheduler run-rollup "
                    + "heap-release ",
                    names.toString());
            assertTrue(ready.get("services").get(0).get("leading").asBoolean() || ready.get("services").get(0).get("last_success").isNull());
            assertFalse(ready.get("services").get(0).get("stuck").asBoolean());
            assertTrue(Http.get(server.api("/ready")).statusCode() == 200);
        }
    }
}
