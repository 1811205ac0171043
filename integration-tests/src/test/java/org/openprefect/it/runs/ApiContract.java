package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.RunningServer;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openprefect.it.support.OpenApiContract.assertResponse;

/**
 * Every run-tracking endpoint answers bodies that fit upstream's OpenAPI schemas, and bad input gets
 * upstream's status and body with nothing stored. One subclass per database.
 */
abstract class ApiContract {
    abstract RunningServer server() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    /** POSTs, checks the status, validates the body against the operation's response schema. */
    private JsonNode checked(String path, String documentedPath, String body, int status) throws Exception {
        JsonNode reply = api().post(path, body, status);
        assertResponse("POST", documentedPath, status, reply);
        return reply;
    }

    private JsonNode checkedGet(String path, String documentedPath) throws Exception {
        JsonNode reply = api().get(path, 200);
        assertResponse("GET", documentedPath, 200, reply);
        return reply;
    }

    @Test
    void everyRunTrackingResponseFitsTheSchema() throws Exception {
        JsonNode flow = checked("/flows/", "/flows/", "{\"name\":\"contract-" + UUID.randomUUID() + "\",\"tags\":[\"a\"]}", 201);
        String flowId = flow.get("id").asText();
        checkedGet("/flows/" + flowId, "/flows/{id}");
        checkedGet("/flows/name/" + flow.get("name").asText(), "/flows/name/{name}");
        // POST /flows/ is an upsert: 201 when it creates the flow, 200 with the stored flow when the name exists.
        JsonNode again = checked("/flows/", "/flows/", "{\"name\":\"" + flow.get("name").asText() + "\",\"tags\":[\"other\"]}", 200);
        assertEquals(flowId, again.get("id").asText());
        assertEquals("[\"a\"]", again.get("tags").toString());
        checked("/flows/filter", "/flows/filter", "{\"flows\":{\"tags\":{\"all_\":[\"a\"]}},\"sort\":\"CREATED_DESC\",\"limit\":5}", 200);
        checked("/flows/count", "/flows/count", "{}", 200);
        checked("/flows/paginate", "/flows/paginate", "{\"page\":1,\"limit\":2}", 200);

        JsonNode run = checked("/flow_runs/", "/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"tags\":[\"t\"],\"parameters\":{\"x\":1}}", 201);
        String runId = run.get("id").asText();
        checkedGet("/flow_runs/" + runId, "/flow_runs/{id}");
        JsonNode result = checked("/flow_runs/" + runId + "/set_state", "/flow_runs/{id}/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        JsonNode wait = api().post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"PENDING\"}}", 200);
        assertResponse("POST", "/flow_runs/{id}/set_state", 200, wait);
        checked("/flow_runs/filter", "/flow_runs/filter", "{\"flow_runs\":{\"tags\":{\"any_\":[\"t\"]},\"state\":{\"type\":{\"any_\":[\"RUNNING\"]}}},"
                + "\"sort\":\"START_TIME_DESC\"}", 200);
        checked("/flow_runs/count", "/flow_runs/count", "{\"flows\":{\"id\":{\"any_\":[\"" + flowId + "\"]}}}", 200);
        checked("/flow_runs/paginate", "/flow_runs/paginate", "{\"page\":1}", 200);
        checkedGet("/flow_run_states/" + result.at("/state/id").asText(), "/flow_run_states/{id}");
        checkedGet("/flow_run_states/?flow_run_id=" + runId, "/flow_run_states/");

        JsonNode task = checked("/task_runs/", "/task_runs/", "{\"flow_run_id\":\"" + runId + "\",\"task_key\":\"k\",\"dynamic_key\":\"0\"}", 201);
        String taskId = task.get("id").asText();
        checkedGet("/task_runs/" + taskId, "/task_runs/{id}");
        checked("/task_runs/" + taskId + "/set_state", "/task_runs/{id}/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        checked("/task_runs/filter", "/task_runs/filter", "{\"flow_runs\":{\"id\":{\"any_\":[\"" + runId + "\"]}}}", 200);
        checked("/task_runs/count", "/task_runs/count", "{}", 200);
        checked("/task_runs/paginate", "/task_runs/paginate", "{}", 200);
        checkedGet("/task_run_states/?task_run_id=" + taskId, "/task_run_states/");

        api().post("/logs/", "[{\"name\":\"n\",\"level\":20,\"message\":\"m\",\"timestamp\":\"" + Instant.now() + "\",\"flow_run_id\":\"" + runId + "\"}]", 201);
        JsonNode logs = checked("/logs/filter", "/logs/filter", "{\"logs\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]},\"level\":{\"ge_\":10}},"
                + "\"sort\":\"TIMESTAMP_DESC\"}", 200);
        assertEquals(1, logs.size());
        checked("/events/filter", "/events/filter", "{\"filter\":{\"order\":\"ASC\"},\"limit\":5}", 200);

        assertEquals(204, api().patch("/flow_runs/" + runId, "{\"name\":\"renamed\",\"tags\":[\"u\"]}").status());
        assertEquals("renamed", api().get("/flow_runs/" + runId, 200).get("name").asText());
        assertEquals(204, api().patch("/flow_runs/" + runId + "/labels", "{\"team\":\"data\"}").status());
        assertEquals("data", api().get("/flow_runs/" + runId, 200).at("/labels/team").asText());
        assertEquals(204, api().patch("/flows/" + flowId, "{\"tags\":[\"b\"]}").status());
        assertEquals(204, api().delete("/task_runs/" + taskId).status());
        assertEquals(204, api().delete("/flow_runs/" + runId).status());
        assertEquals(404, api().get("/flow_runs/" + runId).status());
        assertEquals(0, api().post("/logs/filter", "{\"logs\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]}}}", 200).size(),
                "a deleted run's logs go with it");
        assertEquals(204, api().delete("/flows/" + flowId).status());
    }

    @Test
    void idempotencyKeyReturnsTheExistingRun() throws Exception {
        String flowId = api().post("/flows/", "{\"name\":\"idem-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        String body = "{\"flow_id\":\"" + flowId + "\",\"idempotency_key\":\"once\"}";
        JsonNode first = api().post("/flow_runs/", body, 201);
        JsonNode again = api().post("/flow_runs/", body, 200);
        assertEquals(first.get("id"), again.get("id"));
    }

    @Test
    void missingThingsAre404WithUpstreamBodies() throws Exception {
        UUID unknown = UUID.randomUUID();
        assertEquals("{\"detail\":\"Flow not found\"}", api().get("/flows/" + unknown).raw());
        assertEquals("{\"detail\":\"Flow run not found\"}", api().get("/flow_runs/" + unknown).raw());
        assertEquals("{\"detail\":\"Task not found\"}", api().get("/task_runs/" + unknown).raw());
        Api.Reply setState = api().post("/flow_runs/" + unknown + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}");
        assertEquals(404, setState.status());
        assertEquals("Flow run with id " + unknown + " not found", setState.body().get("exception_message").asText());
        assertEquals("{\"detail\":\"Not Found\"}", api().get("/flow_runs/not-a-uuid").raw(), "non-UUID ids do not match the route");
        assertEquals(404, api().get("/flow_runs/not-a-uuid").status());
    }

    @Test
    void badBodiesAre422AndStoreNothing() throws Exception {
        Api.Reply malformed = api().post("/flows/", "{\"name\": ");
        assertEquals(422, malformed.status());
        assertEquals("json_invalid", malformed.body().at("/exception_detail/0/type").asText());

        Api.Reply unknownField = api().post("/flows/", "{\"name\":\"x-" + UUID.randomUUID() + "\",\"colour\":\"red\"}");
        assertEquals(422, unknownField.status());
        assertEquals("Invalid request received.", unknownField.body().get("exception_message").asText());
        assertEquals("extra_forbidden", unknownField.body().at("/exception_detail/0/type").asText());
        assertEquals("[\"body\",\"colour\"]", unknownField.body().at("/exception_detail/0/loc").toString());
        assertEquals("red", unknownField.body().at("/request_body/colour").asText());

        Api.Reply wrongType = api().post("/flows/", "{\"name\":42}");
        assertEquals(422, wrongType.status());
        assertEquals("string_type", wrongType.body().at("/exception_detail/0/type").asText());

        Api.Reply missing = api().post("/flow_runs/", "{}");
        assertEquals(422, missing.status());
        assertEquals("missing", missing.body().at("/exception_detail/0/type").asText());
        assertEquals("[\"body\",\"flow_id\"]", missing.body().at("/exception_detail/0/loc").toString());

        Api.Reply badState = api().post("/flow_runs/" + UUID.randomUUID() + "/set_state", "{\"state\":{\"type\":\"DONE\"}}");
        assertEquals(422, badState.status());

        Api.Reply unknownFlow = api().post("/flow_runs/", "{\"flow_id\":\"" + UUID.randomUUID() + "\"}");
        assertEquals(409, unknownFlow.status());
        assertTrue(unknownFlow.body().get("detail").asText().startsWith("Data integrity conflict."));

        Api.Reply limit = api().post("/flow_runs/filter", "{\"limit\":201}");
        assertEquals(422, limit.status());
        assertEquals("Invalid limit: must be less than or equal to 200.", limit.body().get("detail").asText());

        String runId = api().post("/flow_runs/", "{\"flow_id\":\"" + api().post("/flows/", "{\"name\":\"logs-" + UUID.randomUUID() + "\"}", 201)
                .get("id").asText() + "\"}", 201).get("id").asText();
        Api.Reply batch = api().post("/logs/", "[{\"name\":\"ok\",\"level\":20,\"message\":\"m\",\"timestamp\":\"" + Instant.now()
                + "\",\"flow_run_id\":\"" + runId + "\"},{\"name\":\"bad\",\"level\":\"loud\",\"message\":\"m\",\"timestamp\":\"" + Instant.now() + "\"}]");
        assertEquals(422, batch.status());
        assertEquals("[\"body\",1,\"level\"]", batch.body().at("/exception_detail/0/loc").toString());
        assertEquals(0, api().post("/logs/filter", "{\"logs\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]}}}", 200).size(),
                "a rejected batch stores none of its logs");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String huge = "[" + "\"x\",".repeat(9_000_000) + "\"x\"]";
        HttpResponse<String> response = Http.postExpectingContinue(server().api("/logs/"), huge);
        assertEquals(413, response.statusCode());
    }

    private String newRun(String extra) throws Exception {
        String flowId = api().post("/flows/", "{\"name\":\"extra-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        return api().post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"" + extra + "}", 201).get("id").asText();
    }

    @Test
    void pausedRunsResumeAndReceiveInputValidatedAgainstTheirSchema() throws Exception {
        Api api = api();
        String plain = newRun(",\"state\":{\"type\":\"RUNNING\"}");
        JsonNode notPaused = api.post("/flow_runs/" + plain + "/resume", "{}", 200);
        assertEquals("ABORT", notPaused.get("status").asText());
        assertEquals("Cannot resume a flow run that is not paused.", notPaused.at("/details/reason").asText());
        api.post("/flow_runs/" + plain + "/set_state", "{\"state\":{\"type\":\"PAUSED\"}}", 201);
        JsonNode resumed = checked("/flow_runs/" + plain + "/resume", "/flow_runs/{id}/resume", "{}", 201);
        assertEquals("ACCEPT", resumed.get("status").asText());
        assertEquals("RUNNING", resumed.at("/state/type").asText());

        String waiting = newRun(",\"state\":{\"type\":\"RUNNING\"}");
        assertEquals(201, api.post("/flow_runs/" + waiting + "/input", "{\"key\":\"approval-schema\",\"value\":"
                + Api.json("{\"type\":\"object\",\"properties\":{\"approved\":{\"type\":\"boolean\"}},\"required\":[\"approved\"]}") + "}").status());
        api.post("/flow_runs/" + waiting + "/set_state", "{\"state\":{\"type\":\"PAUSED\",\"state_details\":{\"run_input_keyset\":"
                + "{\"schema\":\"approval-schema\",\"response\":\"approval-response\",\"description\":\"approval-description\"}}}}", 201);
        JsonNode bad = api.post("/flow_runs/" + waiting + "/resume", "{\"run_input\":{\"approved\":\"maybe\"}}", 200);
        assertEquals("REJECT", bad.get("status").asText());
        assertEquals("abort_details", bad.at("/details/type").asText(), "upstream's quirk: REJECT with abort details");
        assertEquals("PAUSED", api.get("/flow_runs/" + waiting, 200).get("state_type").asText());
        JsonNode good = api.post("/flow_runs/" + waiting + "/resume", "{\"run_input\":{\"approved\":true}}", 201);
        assertEquals("ACCEPT", good.get("status").asText());
        assertEquals("{\"approved\":true}", api.get("/flow_runs/" + waiting + "/input/approval-response").raw());
    }

    @Test
    void flowRunInputsAreKeptByKey() throws Exception {
        Api api = api();
        String run = newRun("");
        assertEquals(201, api.post("/flow_runs/" + run + "/input", "{\"key\":\"a-1\",\"value\":\"one\",\"sender\":\"ui\"}").status());
        assertEquals(201, api.post("/flow_runs/" + run + "/input", "{\"key\":\"a-2\",\"value\":\"two\"}").status());
        Api.Reply duplicate = api.post("/flow_runs/" + run + "/input", "{\"key\":\"a-1\",\"value\":\"again\"}");
        assertEquals(409, duplicate.status());
        assertEquals("A flow run input with this key already exists.", duplicate.body().get("detail").asText());
        JsonNode found = checked("/flow_runs/" + run + "/input/filter", "/flow_runs/{id}/input/filter",
                "{\"prefix\":\"a-\",\"limit\":5,\"exclude_keys\":[\"a-2\"]}", 200);
        assertEquals(1, found.size());
        assertEquals("ui", found.get(0).get("sender").asText());
        HttpResponse<String> raw = Http.get(server().api("/flow_runs/" + run + "/input/a-2"));
        assertEquals("two", raw.body());
        assertTrue(raw.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertEquals(204, api.delete("/flow_runs/" + run + "/input/a-2").status());
        assertEquals(404, api.get("/flow_runs/" + run + "/input/a-2").status());
        assertEquals(404, api.post("/flow_runs/" + UUID.randomUUID() + "/input", "{\"key\":\"k\",\"value\":\"v\"}").status());
    }

    @Test
    void historyBucketsRunsByExpectedStartAndState() throws Exception {
        Api api = api();
        String tag = "history-" + UUID.randomUUID();
        String done = newRun(",\"tags\":[\"" + tag + "\"]");
        api.post("/flow_runs/" + done + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        api.post("/flow_runs/" + done + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
        newRun(",\"tags\":[\"" + tag + "\"]");
        Instant now = Instant.now();
        String body = "{\"history_start\":\"" + now.minusSeconds(3600) + "\",\"history_end\":\"" + now.plusSeconds(60)
                + "\",\"history_interval_seconds\":600,\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag + "\"]}}}";
        JsonNode history = checked("/flow_runs/history", "/flow_runs/history", body, 200);
        assertEquals(7, history.size());
        int runs = 0;
        for (JsonNode bucket : history) {
            for (JsonNode state : bucket.get("states")) {
                runs += state.get("count_runs").asInt();
            }
        }
        assertEquals(2, runs, history.toString());
        assertEquals(2, history.get(history.size() - 2).get("states").size(), "both runs are in the bucket of their expected start");
        assertEquals(0, history.get(0).get("states").size());
        checked("/task_runs/history", "/task_runs/history", body.replace("\"flow_runs\"", "\"task_runs\"").replace("all_", "all_"), 200);
        assertTrue(api.post("/flow_runs/lateness", "{\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag + "\"]}}}", 200).isNumber());
        assertTrue(api.post("/flow_runs/lateness", "{\"flow_runs\":{\"tags\":{\"all_\":[\"none-" + tag + "\"]}}}", 200).isNull());
        assertEquals(422, api.post("/flow_runs/history", body.replace("600", "0.5")).status());
        assertEquals(Instant.parse(history.at("/0/interval_start").asText()).plusSeconds(7 * 600).toString(),
                Instant.parse(history.at("/6/interval_end").asText()).toString(), "as upstream, the last interval runs its full length");
    }

    @Test
    void historySumsTheSameEstimatesTheRunsShow() throws Exception {
        Api api = api();
        String tag = "estimates-" + UUID.randomUUID();
        Instant now = Instant.now();
        String scheduled = ",\"tags\":[\"" + tag + "\"],\"state\":{\"type\":\"SCHEDULED\",\"state_details\":{\"scheduled_time\":\"";
        String finished = newRun(scheduled + now.minusSeconds(125).plusNanos(123_456_000) + "\"}}");
        api.post("/flow_runs/" + finished + "/set_state", "{\"state\":{\"type\":\"PENDING\"}}", 201);
        api.post("/flow_runs/" + finished + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        Thread.sleep(50);
        api.post("/flow_runs/" + finished + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
        String late = newRun(scheduled + now.minusSeconds(300) + "\"}}");
        String body = "{\"history_start\":\"" + now.minusSeconds(3600) + "\",\"history_end\":\"" + now
                + "\",\"history_interval_seconds\":3600,\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag + "\"]}}}";
        JsonNode states = api.post("/flow_runs/history", body, 200).at("/0/states");
        assertEquals(2, states.size(), states.toString());
        JsonNode completed = states.get(0).get("state_type").asText().equals("COMPLETED") ? states.get(0) : states.get(1);
        JsonNode scheduledState = completed == states.get(0) ? states.get(1) : states.get(0);
        JsonNode finishedRun = api.get("/flow_runs/" + finished, 200);
        assertEquals(finishedRun.get("estimated_start_time_delta").asDouble(), completed.get("sum_estimated_lateness").asDouble(), 1e-6);
        assertTrue(completed.get("sum_estimated_lateness").asDouble() > 120, completed.toString());
        assertEquals(finishedRun.get("estimated_run_time").asDouble(), completed.get("sum_estimated_run_time").asDouble(), 1e-6);
        assertTrue(completed.get("sum_estimated_run_time").asDouble() > 0.04, completed.toString());
        assertEquals(1, scheduledState.get("count_runs").asInt());
        double lateSoFar = api.get("/flow_runs/" + late, 200).get("estimated_start_time_delta").asDouble();
        assertEquals(lateSoFar, scheduledState.get("sum_estimated_lateness").asDouble(), 2.0, "a run not started is late by now - expected");
        double average = api.post("/flow_runs/lateness", "{\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag + "\"]}}}", 200).asDouble();
        assertEquals((finishedRun.get("estimated_start_time_delta").asDouble() + lateSoFar) / 2, average, 1.0);
    }

    @Test
    void everyFlowRunStateBecomesAnEvent() throws Exception {
        Api api = api();
        String run = newRun("");
        api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
        // Emitted events are stored off the request path, as upstream's persister does: wait for them.
        JsonNode page = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            page = api.post("/events/filter", "{\"filter\":{\"resource\":{\"id\":[\"prefect.flow-run." + run + "\"]},\"order\":\"ASC\"}}", 200);
            if (page.get("events").size() >= 3) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        List<String> names = new ArrayList<>();
        page.get("events").forEach(e -> names.add(e.get("event").asText()));
        assertEquals(List.of("prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.Completed"), names);
        JsonNode completed = page.get("events").get(2);
        assertEquals("RUNNING", completed.at("/payload/intended/from").asText());
        assertEquals("COMPLETED", completed.at("/resource/prefect.state-type").asText());
        assertEquals("flow", completed.at("/related/0/prefect.resource.role").asText());
    }

    @Test
    void bulkSetStateGraphAndEventCounts() throws Exception {
        Api api = api();
        String tag = "bulk-" + UUID.randomUUID();
        String a = newRun(",\"tags\":[\"" + tag + "\"]");
        String b = newRun(",\"tags\":[\"" + tag + "\"],\"state\":{\"type\":\"COMPLETED\"}");
        JsonNode bulk = checked("/flow_runs/bulk_set_state", "/flow_runs/bulk_set_state",
                "{\"flow_runs\":{\"tags\":{\"all_\":[\"" + tag + "\"]}},\"state\":{\"type\":\"CANCELLED\"}}", 200);
        assertEquals(2, bulk.get("results").size());
        assertEquals("CANCELLED", api.get("/flow_runs/" + a, 200).get("state_type").asText());
        assertEquals("CANCELLED", api.get("/flow_runs/" + b, 200).get("state_type").asText());

        String run = newRun(",\"state\":{\"type\":\"RUNNING\"}");
        String first = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"a\",\"dynamic_key\":\"0\"}", 201).get("id").asText();
        String second = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"b\",\"dynamic_key\":\"0\","
                + "\"task_inputs\":{\"x\":[{\"input_type\":\"task_run\",\"id\":\"" + first + "\"}]}}", 201).get("id").asText();
        JsonNode graph = checkedGet("/flow_runs/" + run + "/graph", "/flow_runs/{id}/graph");
        assertEquals(2, graph.size());
        for (JsonNode node : graph) {
            if (node.get("id").asText().equals(second)) {
                assertEquals(first, node.at("/upstream_dependencies/0/id").asText());
            }
        }
        assertEquals(404, api.get("/flow_runs/" + UUID.randomUUID() + "/graph").status());

        // Emitted events are stored asynchronously: wait until the RUNNING one is counted.
        JsonNode byEvent;
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            byEvent = checked("/events/count-by/event", "/events/count-by/{countable}",
                    "{\"filter\":{\"resource\":{\"id\":[\"prefect.flow-run." + run + "\"]}}}", 200);
            if (byEvent.size() > 0) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals("prefect.flow-run.Running", byEvent.get(0).get("value").asText());
        assertEquals(1, byEvent.get(0).get("count").asInt());
        JsonNode byTime = checked("/events/count-by/time", "/events/count-by/{countable}", "{\"filter\":{\"occurred\":{\"since\":\""
                + Instant.now().minusSeconds(3600) + "\",\"until\":\"" + Instant.now().plusSeconds(10) + "\"}},\"time_unit\":\"minute\",\"time_interval\":10}", 200);
        assertEquals(7, byTime.size());
        assertEquals(422, api.post("/events/count-by/colour", "{\"filter\":{}}").status());
    }

    @Test
    void eventsOutBackfillsThenStreamsMatchingEvents() throws Exception {
        Api api = api();
        String run = newRun("");
        String resource = "prefect.flow-run." + run;
        Thread.sleep(1500); // the Pending event is stored asynchronously
        try (EventsSocket socket = EventsSocket.openOut(server().base())) {
            socket.send("{\"type\":\"auth\",\"token\":null}");
            socket.send("{\"type\":\"filter\",\"filter\":{\"resource\":{\"id\":[\"" + resource + "\"]}},\"backfill\":true}");
            List<String> backfilled = socket.awaitMessages(2, 10);
            assertEquals("{\"type\":\"auth_success\"}", backfilled.get(0));
            assertEquals("prefect.flow-run.Pending", Api.JSON.readTree(backfilled.get(1)).at("/event/event").asText());
            api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
            newRun(""); // another run's events must not arrive
            List<String> live = socket.awaitMessages(3, 10);
            JsonNode running = Api.JSON.readTree(live.get(2));
            assertEquals("event", running.get("type").asText());
            assertEquals("prefect.flow-run.Running", running.at("/event/event").asText());
            assertEquals(resource, running.at("/event/resource/prefect.resource.id").asText());
            Thread.sleep(1500);
            assertEquals(3, socket.received().size(), "only matching events are streamed, each once");
        }
    }

    @Test
    void logsDownloadAsCsv() throws Exception {
        Api api = api();
        String run = newRun(",\"name\":\"csv-run\"");
        api.post("/logs/", "[{\"name\":\"n\",\"level\":20,\"message\":\"plain\",\"timestamp\":\"2026-11-28T10:00:00Z\",\"flow_run_id\":\"" + run
                + "\"},{\"name\":\"n\",\"level\":40,\"message\":\"has, comma and \\\"quote\\\"\",\"timestamp\":\"2026-11-28T10:00:01Z\",\"flow_run_id\":\""
                + run + "\"}]", 201);
        HttpResponse<String> csv = Http.get(server().api("/flow_runs/" + run + "/logs/download"));
        assertEquals(200, csv.statusCode());
        assertEquals("attachment; filename=\"csv-run-logs.csv\"", csv.headers().firstValue("content-disposition").orElse(""));
        assertEquals("timestamp,level,flow_run_id,task_run_id,message\r\n"
                + "2026-11-28T10:00:00Z,20," + run + ",,plain\r\n"
                + "2026-11-28T10:00:01Z,40," + run + ",,\"has, comma and \"\"quote\"\"\"\r\n", csv.body());
        assertEquals(404, Http.get(server().api("/flow_runs/" + UUID.randomUUID() + "/logs/download")).statusCode());
    }
}
