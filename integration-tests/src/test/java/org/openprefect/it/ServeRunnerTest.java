package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flow.serve()'s runner and run_deployment, played on Python's httpx and websockets
 * ({@code python/serve_runner.py}) against the real server: run_deployment gets its completed run
 * with merged parameters, a run cancelled while running reaches the runner through
 * {@code /events/out} and ends Cancelled, and the scheduler's first run is picked up and run on time.
 * On SQLite and on PostgreSQL.
 */
class ServeRunnerTest {
    private static Prefect server(String home) throws Exception {
        return new Prefect(Files.createTempDirectory(home))
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS", "0.5");
    }

    @Test
    void onSqlite() throws Exception {
        PythonClient python = PythonClient.withWebsocketsAndHttpx();
        try (RunningServer running = RunningServer.start(server("openprefect-serve-"))) {
            check(python.runScript("serve_runner.py", running.api("")));
        }
    }

    @Test
    void onPostgres() throws Exception {
        PythonClient python = PythonClient.withWebsocketsAndHttpx();
        String database = Sql.createPostgresDatabase();
        try (RunningServer running = RunningServer.start(server("openprefect-serve-pg-")
                .env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)))) {
            check(python.runScript("serve_runner.py", running.api("")));
        } finally {
            Sql.dropPostgresDatabase(database);
        }
    }

    private static void check(JsonNode report) {
        assertEquals(201, report.get("deployment_status").asInt(), report.toString());
        assertEquals("COMPLETED", report.at("/run_deployment/state").asText(), report.toString());
        assertEquals("{\"who\":\"default-who\",\"times\":2}", report.at("/run_deployment/parameters").toString());

        assertEquals("ACCEPT", report.get("cancel_proposal").asText());
        assertEquals("CANCELLED", report.at("/cancelled/state").asText(), report.toString());
        assertEquals("Flow run was cancelled successfully.", report.at("/cancelled/message").asText());
        assertTrue(report.at("/cancelled/by_event").asBoolean(), "the runner heard of the cancel on /events/out: " + report);
        assertEquals("REJECT", report.get("crashed_refused").asText(), "Crashed is refused while Cancelling");
        assertEquals("[\"SCHEDULED\",\"PENDING\",\"RUNNING\",\"CANCELLING\",\"CANCELLED\"]", report.at("/cancelled/history").toString());

        assertEquals("COMPLETED", report.at("/scheduled/state").asText(), report.toString());
        assertEquals(Instant.parse(report.at("/scheduled/anchor").asText().replace("+00:00", "Z")),
                Instant.parse(report.at("/scheduled/expected_start_time").asText()), "the first run is at the anchor");
        double late = report.at("/scheduled/started_late_by_s").asDouble();
        assertTrue(late >= 0 && late < 5, "run on time (the runner polls every 0.5 s): " + late + " s late");
        // upstream's minimum of three future runs: once the first has run, the scheduler tops them up again
        int auto = report.at("/scheduled/auto_scheduled_runs").asInt();
        assertTrue(auto == 3 || auto == 4, "three future runs, then one more after the first ran: " + auto);
        assertTrue(report.get("polls").asInt() > 5, report.toString());
    }
}
