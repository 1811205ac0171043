package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.RunningServer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the server exactly as the Prefect 3 client did in client-trace.txt (REST for the flow run,
 * the events websocket for task runs, one batch of logs), plus a subflow and a failing, retried
 * flow run, and checks what is stored. One subclass per database.
 */
abstract class ClientTraceContract {
    abstract RunningServer server() throws Exception;

    Api api() throws Exception {
        return new Api(server().api(""));
    }

    @Test
    void smokeFlowWithTwoTasksOneRetriedEndsAsUpstreamStoresIt() throws Exception {
        Api api = api();
        assertEquals("3.8.4", api.get("/admin/version", 200).asText());
        assertEquals("CSRF protection is disabled.", api.get("/csrf-token?client=" + UUID.randomUUID()).body().get("detail").asText());
        JsonNode flow = api.post("/flows/", "{\"name\":\"smoke-flow\",\"tags\":[],\"labels\":{}}", 201);
        UUID flowId = UUID.fromString(flow.get("id").asText());
        JsonNode run = api.post("/flow_runs/", "{\"state\":{\"type\":\"PENDING\",\"name\":\"Pending\",\"message\":null,\"state_details\":"
                + "{\"traceparent\":null},\"data\":null},\"name\":null,\"flow_id\":\"" + flowId + "\",\"flow_version\":\"b2af482e\","
                + "\"parameters\":{\"a\":2,\"b\":3},\"context\":{},\"parent_task_run_id\":null,\"empirical_policy\":{\"retries\":0,"
                + "\"retry_delay\":0},\"tags\":[]}", 201);
        UUID runId = UUID.fromString(run.get("id").asText());
        assertEquals("PENDING", run.get("state_type").asText());
        assertEquals(flowId.toString(), run.at("/labels/prefect.flow.id").asText());
        assertTrue(run.get("name").asText().matches("[a-z]+-[a-z]+"), run.get("name").asText());

        JsonNode running = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"RUNNING\",\"name\":\"Running\","
                + "\"message\":null,\"state_details\":{\"flow_run_id\":\"" + runId + "\",\"deferred\":null,\"transition_id\":\""
                + UUID.randomUUID() + "\"},\"data\":null},\"force\":false}", 201);
        assertEquals("ACCEPT", running.get("status").asText());
        assertEquals("accept_details", running.at("/details/type").asText());
        assertEquals(1, api.get("/flow_runs/" + runId, 200).get("run_count").asInt());

        // The client reports what already happened: events lie in the past (the filter ends at now).
        Instant t = Instant.now().minusSeconds(5);
        TaskRunEvents add = new TaskRunEvents(runId, flowId, "add-6d4", "add-cb4759f5", 0);
        TaskRunEvents flaky = new TaskRunEvents(runId, flowId, "flaky-double-78a", "flaky_double-6cae0e58", 2);
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            socket.send(add.state("PENDING", "Pending", t, 0, null));
            socket.send(add.state("RUNNING", "Running", t.plusMillis(10), 1, null));
            socket.send(add.state("COMPLETED", "Completed", t.plusMillis(20), 1, null));
            socket.send(flaky.state("PENDING", "Pending", t.plusMillis(30), 0, null));
            socket.send(flaky.state("RUNNING", "Running", t.plusMillis(40), 1, null));
            socket.send(flaky.state("SCHEDULED", "AwaitingRetry", t.plusMillis(50), 1, t.plusMillis(1050)));
            socket.send(flaky.state("RUNNING", "Retrying", t.plusMillis(1060), 2, null));
            socket.send(flaky.state("COMPLETED", "Completed", t.plusMillis(1070), 2, null));
        }
        JsonNode completed = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"COMPLETED\",\"name\":\"Completed\","
                + "\"state_details\":{\"untrackable_result\":true,\"transition_id\":\"" + UUID.randomUUID() + "\"}},\"force\":false}", 201);
        assertEquals("ACCEPT", completed.get("status").asText());

        List<String> logs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            UUID task = i < 3 ? null : (i < 6 ? add.id() : flaky.id());
            logs.add("{\"name\":\"prefect." + (task == null ? "flow_runs" : "task_runs") + "\",\"level\":20,\"message\":\"line " + i
                    + "\",\"timestamp\":\"" + t.plusMillis(i) + "\",\"flow_run_id\":\"" + runId + "\",\"task_run_id\":"
                    + (task == null ? "null" : "\"" + task + "\"") + "}");
        }
        assertEquals("null", api.post("/logs/", "[" + String.join(",", logs) + "]").raw());

        JsonNode stored = api.get("/flow_runs/" + runId, 200);
        assertEquals("COMPLETED", stored.get("state_type").asText());
        assertEquals(1, stored.get("run_count").asInt());
        assertTrue(stored.get("total_run_time").asDouble() > 0);
        assertTrue(!stored.get("start_time").isNull() && !stored.get("end_time").isNull());
        assertEquals(3, api.get("/flow_run_states/?flow_run_id=" + runId, 200).size());

        JsonNode taskRuns = awaitTaskRuns(api, runId, 2);
        // The socket delivers frames in order: once the last one is recorded, all are.
        awaitState(api, add.id(), "COMPLETED");
        JsonNode flakyRun = awaitState(api, flaky.id(), "COMPLETED");
        assertEquals("COMPLETED", flakyRun.get("state_type").asText());
        assertEquals(2, flakyRun.get("run_count").asInt());
        assertEquals(2, flakyRun.at("/empirical_policy/retries").asInt());
        List<String> flakyStates = new ArrayList<>();
        api.get("/task_run_states/?task_run_id=" + flaky.id(), 200).forEach(s -> flakyStates.add(s.get("name").asText()));
        assertEquals(List.of("Pending", "Running", "AwaitingRetry", "Retrying", "Completed"), flakyStates);
        assertEquals(3, api.get("/task_run_states/?task_run_id=" + add.id(), 200).size());
        assertEquals(2, taskRuns.size());
        assertEquals(runId.toString(), flakyRun.get("flow_run_id").asText());

        JsonNode storedLogs = api.post("/logs/filter", "{\"logs\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]}}}", 200);
        assertEquals(11, storedLogs.size());
        assertEquals(3, api.post("/logs/filter", "{\"logs\":{\"task_run_id\":{\"any_\":[\"" + add.id() + "\"]}}}", 200).size());
        JsonNode events = api.post("/events/filter", "{\"filter\":{\"event\":{\"prefix\":[\"prefect.task-run.\"]},"
                + "\"related\":{\"id\":[\"prefect.flow-run." + runId + "\"]}}}", 200);
        assertEquals(8, events.get("total").asInt());
    }

    /** A new flow and a run of it, whose task runs' events the test sends. */
    private record FlowRun(UUID flowId, UUID runId) {
        TaskRunEvents task(String name, String taskKey) {
            return new TaskRunEvents(runId, flowId, name, taskKey, 0);
        }
    }

    private static FlowRun newFlowRun(Api api, String flowName) throws Exception {
        UUID flowId = UUID.fromString(api.post("/flows/", "{\"name\":\"" + flowName + "\"}", 201).get("id").asText());
        return new FlowRun(flowId, UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText()));
    }

    @Test
    void repeatedAndOutOfOrderEventsChangeNothing() throws Exception {
        Api api = api();
        FlowRun run = newFlowRun(api, "out-of-order");
        TaskRunEvents task = run.task("t-1", "t-key");
        TaskRunEvents sentinel = run.task("sentinel", "sentinel-key");
        Instant t = Instant.now();
        String pending = task.state("PENDING", "Pending", t, 0, null);
        String running = task.state("RUNNING", "Running", t.plusMillis(10), 1, null);
        String done = task.state("COMPLETED", "Completed", t.plusMillis(20), 1, null);
        try (EventsSocket socket = EventsSocket.open(server().base(), true)) {
            assertEquals("prefect", socket.subprotocol());
            socket.send("{\"type\":\"auth\",\"token\":null}");
            socket.send(done);
            socket.send(pending);
            socket.send(running);
            socket.send(done);
            socket.send(sentinel.state("PENDING", "Pending", t, 0, null));
        }
        // Frames are handled in order: once the sentinel sent last is recorded, every frame before it is.
        awaitState(api, sentinel.id(), "PENDING");
        JsonNode stored = awaitState(api, task.id(), "COMPLETED");
        assertEquals("Completed", stored.get("state_name").asText());
        assertEquals(3, api.get("/task_run_states/?task_run_id=" + task.id(), 200).size(), "duplicates are not stored twice");
    }

    @Test
    void theSameTaskUnderAnotherIdIsRecordedOnTheStoredRun() throws Exception {
        Api api = api();
        FlowRun run = newFlowRun(api, "same-keys");
        TaskRunEvents first = run.task("t-1", "t-key");
        TaskRunEvents again = first.underAnotherId();
        TaskRunEvents sentinel = run.task("sentinel", "sentinel-key");
        Instant t = Instant.now();
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            socket.send(first.state("PENDING", "Pending", t, 0, null));
            socket.send(again.state("RUNNING", "Running", t.plusMillis(10), 1, null));
            socket.send(sentinel.state("PENDING", "Pending", t, 0, null));
        }
        awaitState(api, sentinel.id(), "PENDING");
        // Unique by (flow_run_id, task_key, dynamic_key): the second id names the run already stored.
        assertEquals(404, api.get("/task_runs/" + again.id()).status());
        assertEquals("RUNNING", api.get("/task_runs/" + first.id(), 200).get("state_type").asText());
        assertEquals(2, api.get("/task_run_states/?task_run_id=" + first.id(), 200).size());
    }

    @Test
    void subflowStateIsMirroredOntoItsParentTaskRun() throws Exception {
        Api api = api();
        UUID flowId = UUID.fromString(api.post("/flows/", "{\"name\":\"parent\"}", 201).get("id").asText());
        UUID parentRun = UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"RUNNING\"}}", 201)
                .get("id").asText());
        JsonNode parentTask = api.post("/task_runs/", "{\"flow_run_id\":\"" + parentRun + "\",\"task_key\":\"child-flow\",\"dynamic_key\":\"0\","
                + "\"name\":\"child-flow\"}", 201);
        assertEquals(200, api.post("/task_runs/", "{\"flow_run_id\":\"" + parentRun + "\",\"task_key\":\"child-flow\",\"dynamic_key\":\"0\"}")
                .status(), "task runs are idempotent on (flow_run_id, task_key, dynamic_key)");
        UUID childFlow = UUID.fromString(api.post("/flows/", "{\"name\":\"child\"}", 201).get("id").asText());
        UUID child = UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + childFlow + "\",\"parent_task_run_id\":\""
                + parentTask.get("id").asText() + "\"}", 201).get("id").asText());
        api.post("/flow_runs/" + child + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        api.post("/flow_runs/" + child + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
        JsonNode task = api.get("/task_runs/" + parentTask.get("id").asText(), 200);
        assertEquals("COMPLETED", task.get("state_type").asText());
        assertEquals(child.toString(), task.at("/state/state_details/child_flow_run_id").asText());
        JsonNode subflows = api.post("/flow_runs/filter", "{\"flow_runs\":{\"parent_flow_run_id\":{\"any_\":[\"" + parentRun + "\"]}}}", 200);
        assertEquals(1, subflows.size());
        assertEquals(child.toString(), subflows.get(0).get("id").asText());
    }

    @Test
    void failingFlowRunIsRetriedThenFails() throws Exception {
        Api api = api();
        UUID flowId = UUID.fromString(api.post("/flows/", "{\"name\":\"failing\"}", 201).get("id").asText());
        UUID runId = UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"empirical_policy\":{\"retries\":1,"
                + "\"retry_delay\":0}}", 201).get("id").asText());
        api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        JsonNode retry = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"FAILED\",\"message\":\"boom\"}}", 201);
        assertEquals("REJECT", retry.get("status").asText());
        assertEquals("AwaitingRetry", retry.at("/state/name").asText());
        assertEquals("SCHEDULED", retry.at("/state/type").asText());
        assertEquals("in_process", api.get("/flow_runs/" + runId, 200).at("/empirical_policy/retry_type").asText());
        api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"RUNNING\",\"name\":\"Retrying\"}}", 201);
        JsonNode failed = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"FAILED\",\"message\":\"boom again\"}}", 201);
        assertEquals("ACCEPT", failed.get("status").asText());
        JsonNode stored = api.get("/flow_runs/" + runId, 200);
        assertEquals("FAILED", stored.get("state_type").asText());
        assertEquals(2, stored.get("run_count").asInt());
        assertEquals("boom again", stored.at("/state/message").asText());
        assertEquals(1, api.post("/flow_runs/count", "{\"flow_runs\":{\"state\":{\"type\":{\"any_\":[\"FAILED\"]}},\"id\":{\"any_\":[\""
                + runId + "\"]}}}", 200).asInt());
    }

    static JsonNode awaitTaskRuns(Api api, UUID flowRunId, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode found;
        do {
            found = api.post("/task_runs/filter", "{\"flow_runs\":{\"id\":{\"any_\":[\"" + flowRunId + "\"]}}}", 200);
            if (found.size() >= expected) {
                return found;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + expected + " task runs, found " + found);
    }

    static JsonNode awaitState(Api api, UUID taskRunId, String type) throws InterruptedException {
        return api.awaitState("/task_runs/" + taskRunId, type, Duration.ofSeconds(15));
    }
}
