package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler services (upstream's Scheduler and RecentDeploymentsScheduler) through the real
 * server process, with loops of a fraction of a second: a new deployment gets upstream's minimum of
 * runs per schedule with upstream's idempotency keys, a restart and a second server on the same
 * database never duplicate them, pausing deletes them and stops new ones, resuming brings them back,
 * and {@code POST /deployments/{id}/schedule} backfills. On SQLite and on PostgreSQL.
 */
class SchedulerTest {
    private static Prefect fastScheduler(Path home) {
        return new Prefect(home)
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "0.5")
                .env("PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS", "0.3");
    }

    @Test
    void onSqlite() throws Exception {
        Path home = Files.createTempDirectory("openprefect-scheduler-");
        scenario(() -> fastScheduler(home), null);
    }

    @Test
    void onPostgres() throws Exception {
        String database = Sql.createPostgresDatabase();
        try {
            Path home = Files.createTempDirectory("openprefect-scheduler-pg-");
            Path second = Files.createTempDirectory("openprefect-scheduler-pg2-");
            scenario(() -> fastScheduler(home).env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)),
                    () -> fastScheduler(second).env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)));
        } finally {
            Sql.dropPostgresDatabase(database);
        }
    }

    interface Server {
        Prefect prefect() throws Exception;
    }

    private static List<JsonNode> runsOf(Api api, String deploymentId) {
        List<JsonNode> runs = new ArrayList<>();
        api.post("/flow_runs/filter", "{\"deployments\":{\"id\":{\"any_\":[\"" + deploymentId + "\"]}},\"sort\":\"EXPECTED_START_TIME_ASC\"}", 200)
                .forEach(runs::add);
        return runs;
    }

    private static List<JsonNode> await(Api api, String deploymentId, Predicate<List<JsonNode>> until, String what) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<JsonNode> runs = runsOf(api, deploymentId);
        while (!until.test(runs)) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what + "; runs: " + runs);
            Thread.sleep(100);
            runs = runsOf(api, deploymentId);
        }
        return runs;
    }

    private static void scenario(Server first, Server second) throws Exception {
        String deploymentId;
        String flowId;
        Instant anchor = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(600);
        try (RunningServer server = RunningServer.start(first.prefect())) {
            Api api = new Api(server.api(""));
            flowId = api.post("/flows/", "{\"name\":\"scheduled-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
            JsonNode deployment = api.post("/deployments/", """
                    {"name": "every-hour", "flow_id": "%s", "tags": ["nightly"], "parameters": {"x": 1},
                     "schedules": [{"schedule": {"interval": 3600, "anchor_date": "%s", "timezone": "UTC"},
                                    "parameters": {"y": 2}, "slug": "hourly"}]}
                    """.formatted(flowId, anchor), 201);
            deploymentId = deployment.get("id").asText();
            String scheduleId = deployment.get("schedules").get(0).get("id").asText();
            assertEquals("{\"interval\":3600,\"anchor_date\":\"" + anchor + "\",\"timezone\":\"UTC\"}",
                    deployment.get("schedules").get(0).get("schedule").toString());

            // Upstream's minimums: 3 runs, and at least an hour ahead; the first is the anchor itself.
            List<JsonNode> runs = await(api, deploymentId, r -> r.size() >= 3, "the scheduler creates the first runs");
            Thread.sleep(1500);
            runs = runsOf(api, deploymentId);
            assertEquals(3, runs.size(), "the minimum is met, no more: " + runs);
            for (int i = 0; i < 3; i++) {
                JsonNode run = runs.get(i);
                Instant at = anchor.plusSeconds(3600L * i);
                assertEquals(at, Instant.parse(run.get("expected_start_time").asText()));
                assertEquals(at, Instant.parse(run.get("next_scheduled_start_time").asText()));
                assertEquals("scheduled " + deploymentId + " " + scheduleId + " " + at.toString().replace("T", " ").replace("Z", "+00:00"),
                        run.get("idempotency_key").asText());
                assertTrue(run.get("auto_scheduled").asBoolean());
                assertEquals("[\"auto-scheduled\",\"nightly\"]", run.get("tags").toString());
                assertEquals("{\"x\":1,\"y\":2}", run.get("parameters").toString());
                assertEquals("SCHEDULED", run.at("/state/type").asText());
                assertEquals("Flow run scheduled", run.at("/state/message").asText());
                assertEquals(at, Instant.parse(run.at("/state/state_details/scheduled_time").asText()));
                assertEquals("{\"id\":\"" + scheduleId + "\",\"type\":\"SCHEDULE\",\"display_value\":\"hourly\"}",
                        run.get("created_by").toString());
                assertEquals(deploymentId, run.at("/labels/prefect.deployment.id").asText());
            }

            // Backfill: the last three hours, at most 10 runs.
            api.post("/deployments/" + deploymentId + "/schedule", "{\"start_time\":\"" + anchor.minusSeconds(3 * 3600) + "\",\"end_time\":\""
                    + anchor.minusSeconds(1) + "\",\"max_runs\":10}", 200);
            assertEquals(6, runsOf(api, deploymentId).size(), "three backfilled runs");
        }

        // A restart, and on PostgreSQL a second server beside it: nothing twice.
        try (RunningServer again = RunningServer.start(first.prefect());
             RunningServer other = second == null ? null : RunningServer.start(second.prefect())) {
            Api api = new Api(again.api(""));
            Thread.sleep(2500);
            List<JsonNode> runs = runsOf(api, deploymentId);
            Set<String> keys = new HashSet<>();
            runs.forEach(r -> keys.add(r.get("idempotency_key").asText()));
            assertEquals(6, runs.size(), "no duplicates after a restart" + (other == null ? "" : " with two servers") + ": " + runs);
            assertEquals(6, keys.size());

            // Pausing deletes the auto-scheduled runs that are still Scheduled, and no new ones come.
            api.post("/deployments/" + deploymentId + "/pause_deployment", "", 200);
            assertEquals(0, runsOf(api, deploymentId).size());
            Thread.sleep(1500);
            assertEquals(0, runsOf(api, deploymentId).size(), "a paused deployment gets no runs");
            api.post("/deployments/" + deploymentId + "/resume_deployment", "", 200);
            // resume_deployment does not touch `updated`, so the main loop (not the recent one) brings them back.
            await(api, deploymentId, r -> r.size() == 3, "the runs come back after resume");
        }
    }
}
