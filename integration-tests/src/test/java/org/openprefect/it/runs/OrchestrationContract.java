package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.RunningServer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Orchestration rules, one behaviour each, over HTTP (ORCHESTRATION.md §3–§5). One subclass per database. */
abstract class OrchestrationContract {
    abstract RunningServer server() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    private UUID flowRun(String extra) throws Exception {
        UUID flowId = UUID.fromString(api().post("/flows/", "{\"name\":\"orchestration-" + UUID.randomUUID() + "\"}", 201).get("id").asText());
        return UUID.fromString(api().post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"" + extra + "}", 201).get("id").asText());
    }

    private JsonNode set(UUID runId, String state) throws Exception {
        return api().post("/flow_runs/" + runId + "/set_state", "{\"state\":" + state + "}").body();
    }

    private JsonNode setForced(UUID runId, String state) throws Exception {
        return api().post("/flow_runs/" + runId + "/set_state", "{\"state\":" + state + ",\"force\":true}").body();
    }

    @Test
    void runningRunCannotGoBackToPending() throws Exception {
        UUID run = flowRun("");
        set(run, "{\"type\":\"RUNNING\"}");
        JsonNode result = set(run, "{\"type\":\"PENDING\"}");
        assertEquals("ABORT", result.get("status").asText());
        assertEquals("abort_details", result.at("/details/type").asText());
        assertEquals("RUNNING", result.at("/state/type").asText(), "ABORT returns the current state");
        assertEquals(200, api().post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"PENDING\"}}").status());
    }

    @Test
    void pendingToPendingWithAnotherNameIsAllowed() throws Exception {
        UUID run = flowRun("");
        JsonNode result = set(run, "{\"type\":\"PENDING\",\"name\":\"Submitting\"}");
        assertEquals("ACCEPT", result.get("status").asText());
        assertEquals("Submitting", result.at("/state/name").asText());
    }

    @Test
    void terminalRunsCannotBeCancelledPausedOrCrashed() throws Exception {
        UUID run = flowRun("");
        set(run, "{\"type\":\"RUNNING\"}");
        set(run, "{\"type\":\"COMPLETED\"}");
        for (String type : List.of("CANCELLING", "PAUSED", "CRASHED")) {
            assertEquals("ABORT", set(run, "{\"type\":\"" + type + "\"}").get("status").asText(), type);
        }
        assertEquals("ABORT", set(run, "{\"type\":\"SCHEDULED\"}").get("status").asText(), "no deployment: cannot reschedule");
    }

    @Test
    void completedWithPersistedResultCannotBeRerun() throws Exception {
        UUID run = flowRun("");
        set(run, "{\"type\":\"RUNNING\"}");
        JsonNode done = set(run, "{\"type\":\"COMPLETED\",\"data\":{\"type\":\"reference\",\"storage_key\":\"/results/abc\"}}");
        assertEquals("/results/abc", done.at("/state/data/storage_key").asText(), "result data is returned from its artifact");
        JsonNode again = set(run, "{\"type\":\"RUNNING\"}");
        assertEquals("REJECT", again.get("status").asText());
        assertEquals("COMPLETED", again.at("/state/type").asText());
        assertEquals("/results/abc", api().get("/flow_runs/" + run, 200).at("/state/data/storage_key").asText());
    }

    @Test
    void cancellingRunMayOnlyBecomeCancelled() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        set(run, "{\"type\":\"CANCELLING\"}");
        assertEquals("REJECT", set(run, "{\"type\":\"RUNNING\"}").get("status").asText());
        assertEquals("ACCEPT", set(run, "{\"type\":\"CANCELLED\"}").get("status").asText());
    }

    @Test
    void scheduledRunWithoutInfrastructureIsCancelledDirectly() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"SCHEDULED\"}");
        JsonNode result = set(run, "{\"type\":\"CANCELLING\"}");
        assertEquals("REJECT", result.get("status").asText());
        assertEquals("CANCELLED", result.at("/state/type").asText());
        assertEquals("CANCELLED", api().get("/flow_runs/" + run, 200).get("state_type").asText());
    }

    @Test
    void runWaitsForItsScheduledTime() throws Exception {
        String later = Instant.now().plusSeconds(120).toString();
        UUID run = flowRun(",\"state\":{\"type\":\"SCHEDULED\",\"state_details\":{\"scheduled_time\":\"" + later + "\"}}");
        JsonNode stored = api().get("/flow_runs/" + run, 200);
        assertEquals(later.substring(0, 19), stored.get("next_scheduled_start_time").asText().substring(0, 19));
        assertEquals(later.substring(0, 19), stored.get("expected_start_time").asText().substring(0, 19));
        JsonNode result = set(run, "{\"type\":\"RUNNING\"}");
        assertEquals("WAIT", result.get("status").asText());
        int delay = result.at("/details/delay_seconds").asInt();
        assertTrue(delay >= 115 && delay <= 120, "delay " + delay);
        JsonNode pending = set(run, "{\"type\":\"PENDING\"}");
        assertEquals(later.substring(0, 19), pending.at("/state/state_details/scheduled_time").asText().substring(0, 19),
                "the scheduled time is copied onto PENDING");
        assertTrue(api().get("/flow_runs/" + run, 200).get("next_scheduled_start_time").isNull());
    }

    @Test
    void onlyScheduledRunsAreMarkedLateOnce() throws Exception {
        UUID scheduled = flowRun(",\"state\":{\"type\":\"SCHEDULED\"}");
        assertEquals("ACCEPT", set(scheduled, "{\"type\":\"SCHEDULED\",\"name\":\"Late\"}").get("status").asText());
        assertEquals("REJECT", set(scheduled, "{\"type\":\"SCHEDULED\",\"name\":\"Late\"}").get("status").asText());
        UUID pending = flowRun("");
        assertEquals("REJECT", set(pending, "{\"type\":\"SCHEDULED\",\"name\":\"Late\"}").get("status").asText());
    }

    @Test
    void pausedRunsResumeOnceAndMarkThemselvesResuming() throws Exception {
        UUID run = flowRun("");
        assertEquals("REJECT", set(run, "{\"type\":\"PAUSED\"}").get("status").asText(), "only running flows pause");
        set(run, "{\"type\":\"RUNNING\"}");
        JsonNode paused = set(run, "{\"type\":\"PAUSED\",\"state_details\":{\"pause_key\":\"p1\"}}");
        assertEquals("ACCEPT", paused.get("status").asText());
        assertEquals("p1", api().get("/flow_runs/" + run, 200).at("/empirical_policy/pause_keys/0").asText());
        assertEquals("REJECT", set(run, "{\"type\":\"PENDING\"}").get("status").asText(), "paused runs resume to RUNNING, SCHEDULED or terminal");
        assertEquals("ACCEPT", set(run, "{\"type\":\"RUNNING\"}").get("status").asText());
        JsonNode stored = api().get("/flow_runs/" + run, 200);
        // Upstream counts the PAUSED -> RUNNING proposal, then marks the run resuming so the next RUNNING is not counted.
        assertEquals(2, stored.get("run_count").asInt());
        assertTrue(stored.at("/empirical_policy/resuming").asBoolean());
        set(run, "{\"type\":\"RUNNING\"}");
        JsonNode after = api().get("/flow_runs/" + run, 200);
        assertEquals(2, after.get("run_count").asInt(), "the RUNNING after a resume is not a new run");
        assertFalse(after.at("/empirical_policy/resuming").asBoolean());
        JsonNode again = set(run, "{\"type\":\"PAUSED\",\"state_details\":{\"pause_key\":\"p1\"}}");
        assertEquals("REJECT", again.get("status").asText(), "a pause key fires once");
    }

    @Test
    void expiredPauseFailsTheRun() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        set(run, "{\"type\":\"PAUSED\",\"state_details\":{\"pause_timeout\":\"" + Instant.now().minusSeconds(1) + "\"}}");
        JsonNode result = set(run, "{\"type\":\"RUNNING\"}");
        assertEquals("REJECT", result.get("status").asText());
        assertEquals("FAILED", result.at("/state/type").asText());
    }

    @Test
    void forceSkipsTheRules() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        JsonNode forced = setForced(run, "{\"type\":\"PENDING\"}");
        assertEquals("ACCEPT", forced.get("status").asText());
        assertEquals("PENDING", api().get("/flow_runs/" + run, 200).get("state_type").asText());
    }

    @Test
    void taskRunsCannotRunInAFlowRunThatIsNotRunning() throws Exception {
        UUID run = flowRun("");
        Api api = api();
        String taskId = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"t\",\"dynamic_key\":\"0\"}", 201).get("id").asText();
        JsonNode blocked = api.post("/task_runs/" + taskId + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}").body();
        assertEquals("ABORT", blocked.get("status").asText());
        set(run, "{\"type\":\"RUNNING\"}");
        JsonNode ok = api.post("/task_runs/" + taskId + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        assertEquals("ACCEPT", ok.get("status").asText());
        assertEquals(1, api.get("/task_runs/" + taskId, 200).get("run_count").asInt());
        set(run, "{\"type\":\"PAUSED\"}");
        String second = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"t\",\"dynamic_key\":\"1\"}", 201).get("id").asText();
        JsonNode notReady = api.post("/task_runs/" + second + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        assertEquals("REJECT", notReady.get("status").asText());
        assertEquals("NotReady", notReady.at("/state/name").asText());
    }

    @Test
    void failedTasksRetryThenRunAsRetrying() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        Api api = api();
        String task = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"r\",\"dynamic_key\":\"0\","
                + "\"empirical_policy\":{\"retries\":1,\"retry_delay\":[0]}}", 201).get("id").asText();
        api.post("/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        JsonNode retry = api.post("/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"FAILED\"}}", 201);
        assertEquals("AwaitingRetry", retry.at("/state/name").asText());
        JsonNode rerun = api.post("/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        assertEquals("Retrying", rerun.at("/state/name").asText());
        JsonNode failed = api.post("/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"FAILED\"}}", 201);
        assertEquals("ACCEPT", failed.get("status").asText());
        assertEquals(2, api.get("/task_runs/" + task, 200).get("run_count").asInt());
    }

    @Test
    void completedTaskStatesAreServedFromTheCache() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        Api api = api();
        String key = "cache-" + UUID.randomUUID();
        String first = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"c\",\"dynamic_key\":\"0\"}", 201).get("id").asText();
        api.post("/task_runs/" + first + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        api.post("/task_runs/" + first + "/set_state", "{\"state\":{\"type\":\"COMPLETED\",\"state_details\":{\"cache_key\":\"" + key
                + "\"},\"data\":{\"type\":\"reference\",\"storage_key\":\"k\"}}}", 201);
        String second = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"c\",\"dynamic_key\":\"1\"}", 201).get("id").asText();
        JsonNode cached = api.post("/task_runs/" + second + "/set_state", "{\"state\":{\"type\":\"RUNNING\",\"state_details\":{\"cache_key\":\""
                + key + "\"}}}", 201);
        assertEquals("REJECT", cached.get("status").asText());
        assertEquals("Cached", cached.at("/state/name").asText());
        assertEquals("COMPLETED", cached.at("/state/type").asText());
    }

    @Test
    void concurrentTransitionsOnOneRunAreSerialized() throws Exception {
        UUID run = flowRun(",\"state\":{\"type\":\"RUNNING\"}");
        int writers = 8;
        int perWriter = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> written = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            written.add(pool.submit(() -> {
                int created = 0;
                for (int i = 0; i < perWriter; i++) {
                    Api.Reply r = api().post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}");
                    assertEquals("ACCEPT", r.body().get("status").asText(), r.raw());
                    created += r.status() == 201 ? 1 : 0;
                }
                return created;
            }));
        }
        int accepted = 0;
        for (Future<Integer> f : written) {
            accepted += f.get();
        }
        pool.shutdown();
        JsonNode stored = api().get("/flow_runs/" + run, 200);
        assertEquals(writers * perWriter, accepted);
        assertEquals(1 + accepted, stored.get("run_count").asInt(), "every RUNNING counted once, none lost");
        assertEquals(1 + accepted, api().get("/flow_run_states/?flow_run_id=" + run, 200).size(), "every state stored");
    }
}
