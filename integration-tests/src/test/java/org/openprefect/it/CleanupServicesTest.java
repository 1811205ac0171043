package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upstream's FailExpiredPauses and CancellationCleanup services through the real server, with loops
 * of a fraction of a second: a pause past its timeout fails the run; cancelling a run cancels its
 * unfinished task runs and subflows; a run left Cancelling past the timeout becomes Cancelled; a
 * deployment a runner polled is READY and, once nobody polls it, the foreman makes it NOT_READY.
 * On SQLite and on PostgreSQL.
 */
class CleanupServicesTest {
    private static Prefect fastLoops(String home) throws Exception {
        return new Prefect(Files.createTempDirectory(home))
                .env("PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS", "0.3")
                .env("PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS", "0.3")
                .env("PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_CANCELLING_TIMEOUT_SECONDS", "2")
                .env("PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS", "0.3")
                .env("PREFECT_SERVER_SERVICES_FOREMAN_DEPLOYMENT_LAST_POLLED_TIMEOUT_SECONDS", "1")
                .env("PREFECT_SERVER_SERVICES_FOREMAN_WORK_QUEUE_LAST_POLLED_TIMEOUT_SECONDS", "1");
    }

    @Test
    void onSqlite() throws Exception {
        try (RunningServer server = RunningServer.start(fastLoops("openprefect-cleanup-"))) {
            scenario(new Api(server.api("")));
        }
    }

    @Test
    void onPostgres() throws Exception {
        String database = Sql.createPostgresDatabase();
        try (RunningServer server = RunningServer.start(fastLoops("openprefect-cleanup-pg-")
                .env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)))) {
            scenario(new Api(server.api("")));
        } finally {
            Sql.dropPostgresDatabase(database);
        }
    }

    private static void setState(Api api, String kind, String id, String state) {
        api.post("/" + kind + "/" + id + "/set_state", "{\"state\":" + state + ",\"force\":true}", 201);
    }

    private static JsonNode awaitState(Api api, String path, String type) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode run = api.get(path, 200);
        while (!type.equals(run.get("state_type").asText())) {
            assertTrue(System.nanoTime() < deadline, path + " never became " + type + ": " + run.get("state"));
            Thread.sleep(100);
            run = api.get(path, 200);
        }
        return run;
    }

    private static void scenario(Api api) throws Exception {
        String flowId = api.post("/flows/", "{\"name\":\"cleanup-" + UUID.randomUUID() + "\"}", 201).get("id").asText();

        String paused = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        setState(api, "flow_runs", paused, "{\"type\":\"RUNNING\"}");
        setState(api, "flow_runs", paused, "{\"type\":\"PAUSED\",\"state_details\":{\"pause_timeout\":\"" + Instant.now().minusSeconds(1) + "\"}}");
        String waiting = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        setState(api, "flow_runs", waiting, "{\"type\":\"RUNNING\"}");
        setState(api, "flow_runs", waiting, "{\"type\":\"PAUSED\",\"state_details\":{\"pause_timeout\":\"" + Instant.now().plusSeconds(3600) + "\"}}");
        JsonNode failed = awaitState(api, "/flow_runs/" + paused, "FAILED");
        assertEquals("The flow was paused and never resumed.", failed.at("/state/message").asText());

        String parent = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        setState(api, "flow_runs", parent, "{\"type\":\"RUNNING\"}");
        String task = api.post("/task_runs/", "{\"flow_run_id\":\"" + parent + "\",\"task_key\":\"t\",\"dynamic_key\":\"0\"}", 201)
                .get("id").asText();
        setState(api, "task_runs", task, "{\"type\":\"RUNNING\"}");
        String done = api.post("/task_runs/", "{\"flow_run_id\":\"" + parent + "\",\"task_key\":\"t\",\"dynamic_key\":\"1\"}", 201)
                .get("id").asText();
        setState(api, "task_runs", done, "{\"type\":\"COMPLETED\"}");
        String subflowTask = api.post("/task_runs/", "{\"flow_run_id\":\"" + parent + "\",\"task_key\":\"sub\",\"dynamic_key\":\"0\"}", 201)
                .get("id").asText();
        String subflow = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"parent_task_run_id\":\"" + subflowTask + "\"}", 201)
                .get("id").asText();
        setState(api, "flow_runs", subflow, "{\"type\":\"RUNNING\"}");
        setState(api, "flow_runs", parent, "{\"type\":\"CANCELLED\"}");

        JsonNode cancelledTask = awaitState(api, "/task_runs/" + task, "CANCELLED");
        assertEquals("The parent flow run was cancelled.", cancelledTask.at("/state/message").asText());
        JsonNode cancelledSubflow = awaitState(api, "/flow_runs/" + subflow, "CANCELLED");
        assertEquals("The parent flow run was cancelled.", cancelledSubflow.at("/state/message").asText());
        assertEquals("COMPLETED", api.get("/task_runs/" + done, 200).get("state_type").asText(), "a finished task run stays as it was");

        String stuck = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        setState(api, "flow_runs", stuck, "{\"type\":\"RUNNING\"}");
        setState(api, "flow_runs", stuck, "{\"type\":\"CANCELLING\"}");
        Instant cancelling = Instant.now();
        JsonNode timedOut = awaitState(api, "/flow_runs/" + stuck, "CANCELLED");
        assertEquals("Flow run cancellation timed out; marked this flow run as Cancelled.", timedOut.at("/state/message").asText());
        assertTrue(Instant.now().isAfter(cancelling.plusSeconds(2)), "not before the timeout");

        assertEquals("PAUSED", api.get("/flow_runs/" + waiting, 200).get("state_type").asText(), "a pause within its timeout stays");

        String deployment = api.post("/deployments/", "{\"name\":\"polled\",\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        assertEquals("NOT_READY", api.get("/deployments/" + deployment, 200).get("status").asText());
        api.post("/deployments/get_scheduled_flow_runs", "{\"deployment_ids\":[\"" + deployment + "\"]}", 200);
        assertEquals("READY", api.get("/deployments/" + deployment, 200).get("status").asText());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!"NOT_READY".equals(api.get("/deployments/" + deployment, 200).get("status").asText())) {
            assertTrue(System.nanoTime() < deadline, "the foreman marks an unpolled deployment NOT_READY");
            Thread.sleep(100);
        }
        List<String> events = new ArrayList<>();
        deadline = System.nanoTime() + 10_000_000_000L;
        while (events.size() < 2 && System.nanoTime() < deadline) {
            events.clear();
            api.post("/events/filter", "{\"filter\":{\"resource\":{\"id\":[\"prefect.deployment." + deployment + "\"]},"
                    + "\"order\":\"ASC\"}}", 200).get("events").forEach(e -> events.add(e.get("event").asText()));
            Thread.sleep(100);
        }
        assertEquals(List.of("prefect.deployment.ready", "prefect.deployment.not-ready"), events);

        // The foreman's other half: a worker that stops beating goes OFFLINE after three intervals,
        // its pool NOT_READY; a queue nobody polls any more NOT_READY.
        String pool = "foreman-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}", 201);
        // Taken before the heartbeat: the server stamps the beat after this, so OFFLINE comes after beat + 3 s.
        Instant beat = Instant.now();
        api.post("/work_pools/" + pool + "/workers/heartbeat", "{\"name\":\"w\",\"heartbeat_interval_seconds\":1}", 204);
        api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", "{}", 200);
        assertEquals("READY", api.get("/work_pools/" + pool, 200).get("status").asText());
        assertEquals("READY", api.get("/work_pools/" + pool + "/queues/default", 200).get("status").asText());
        deadline = System.nanoTime() + 20_000_000_000L;
        String workers = "/work_pools/" + pool + "/workers/filter";
        while (!"OFFLINE".equals(api.post(workers, "{}", 200).get(0).get("status").asText())) {
            assertTrue(System.nanoTime() < deadline, "the silent worker goes OFFLINE");
            Thread.sleep(100);
        }
        assertTrue(Instant.now().isAfter(beat.plusSeconds(3)), "not before three heartbeat intervals");
        deadline = System.nanoTime() + 10_000_000_000L;
        while (!"NOT_READY".equals(api.get("/work_pools/" + pool, 200).get("status").asText())) {
            assertTrue(System.nanoTime() < deadline, "a pool without an online worker is NOT_READY");
            Thread.sleep(100);
        }
        assertEquals("NOT_READY", api.get("/work_pools/" + pool + "/queues/default", 200).get("status").asText(), "nobody polls the queue");
    }
}
