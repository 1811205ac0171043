package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.RunningServer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openprefect.it.support.OpenApiContract.assertResponse;

/**
 * Deployments as {@code flow.serve()} and {@code run_deployment} drive them (the exchange recorded in
 * {@code traces/serve.jsonl}): the runner's upsert, its polling, runs created from the deployment,
 * pause and schedule toggles, and the bad input upstream refuses. One subclass per database.
 */
abstract class DeploymentContract {
    /** The fields of a deployment in the order upstream 3.4.25 answered them in the recording. */
    private static final List<String> RECORDED_FIELDS = List.of("id", "created", "updated", "name", "version", "description", "flow_id",
            "paused", "schedules", "concurrency_limit", "global_concurrency_limit", "concurrency_options", "job_variables", "parameters",
            "tags", "labels", "work_queue_name", "last_polled", "parameter_openapi_schema", "path", "pull_steps", "entrypoint",
            "storage_document_id", "infrastructure_document_id", "created_by", "updated_by", "work_pool_name", "status",
            "enforce_parameter_schema");

    abstract RunningServer server() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    /** The runner's POST /deployments/ body from the recording, for a flow and deployment name of this test. */
    private static String servedDeployment(String flowId, String name, String description) {
        return """
                {"name": "%s", "flow_id": "%s", "paused": false,
                 "schedules": [{"schedule": {"cron": "0 3 * * *", "timezone": null, "day_or": true}, "active": true,
                                "max_scheduled_runs": null, "parameters": {}, "slug": null}],
                 "concurrency_limit": null, "concurrency_options": null, "enforce_parameter_schema": true,
                 "parameter_openapi_schema": {"title": "Parameters", "type": "object", "properties": {
                    "who": {"default": "world", "position": 0, "title": "who", "type": "string"},
                    "times": {"default": 1, "position": 1, "title": "times", "type": "integer"},
                    "sleep_s": {"default": 0.0, "position": 2, "title": "sleep_s", "type": "number"}}},
                 "parameters": {"who": "default-who"}, "tags": ["ref", "served"], "labels": {}, "work_queue_name": null,
                 "storage_document_id": null, "infrastructure_document_id": null, "description": "%s", "path": ".",
                 "entrypoint": "serve.py:greeter", "job_variables": {}, "version": "2024.1",
                 "version_info": {"type": "prefect:simple", "version": "2024.1"}}
                """.formatted(name, flowId, description);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** The runner sends scheduled_before in Python's str(datetime) form: a space, not a T. */
    private static String pythonTime(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").format(at.atOffset(ZoneOffset.UTC));
    }

    /** The deployment's runs that the scheduler did not create (it may add its own at any moment). */
    private static long runsNotAutoScheduled(Api api, String deploymentId) {
        JsonNode runs = api.post("/flow_runs/filter", "{\"deployments\":{\"id\":{\"any_\":[\"" + deploymentId + "\"]}}}", 200);
        long count = 0;
        for (JsonNode run : runs) {
            if (!run.get("auto_scheduled").asBoolean()) {
                count++;
            }
        }
        return count;
    }

    @Test
    void theServeRunnersExchangeWorksAsRecorded() throws Exception {
        Api api = api();
        String flowName = "ref-greeter-" + UUID.randomUUID();
        String byName = "/deployments/name/" + flowName + "/ref-serve-dep";
        assertEquals("{\"detail\":\"Deployment not found\"}", api.get(byName).raw());
        assertEquals(404, api.get(byName).status());

        String flowId = api.post("/flows/", "{\"name\":\"" + flowName + "\",\"tags\":[],\"labels\":{}}", 201).get("id").asText();
        JsonNode created = api.post("/deployments/", servedDeployment(flowId, "ref-serve-dep", "served"), 201);
        assertResponse("POST", "/deployments/", 201, created);
        assertEquals(RECORDED_FIELDS, fieldNames(created));
        String id = created.get("id").asText();
        assertEquals("NOT_READY", created.get("status").asText());
        assertTrue(created.get("last_polled").isNull());
        assertEquals("{\"prefect.flow.id\":\"" + flowId + "\"}", created.get("labels").toString());
        assertEquals("[]", created.get("pull_steps").toString());
        JsonNode schedule = created.get("schedules").get(0);
        assertEquals(id, schedule.get("deployment_id").asText());
        assertEquals("{\"cron\":\"0 3 * * *\",\"timezone\":null,\"day_or\":true}", schedule.get("schedule").toString());
        assertEquals(List.of("id", "created", "updated", "deployment_id", "schedule", "active", "max_scheduled_runs", "parameters", "slug"),
                fieldNames(schedule));

        assertEquals(202, api.delete("/automations/owned-by/prefect.deployment." + id).status());
        assertEquals("[]", api.get("/automations/related-to/prefect.deployment." + id, 200).toString());

        String poll = "{\"deployment_ids\":[\"" + id + "\"],\"scheduled_before\":\"" + pythonTime(Instant.now().plusSeconds(10)) + "\"}";
        assertEquals("[]", api.post("/deployments/get_scheduled_flow_runs", poll, 200).toString());
        JsonNode polled = api.get(byName, 200);
        assertResponse("GET", "/deployments/name/{flow_name}/{deployment_name}", 200, polled);
        assertEquals("READY", polled.get("status").asText(), "a runner's poll makes the deployment READY");
        assertFalse(polled.get("last_polled").isNull());

        // The runner re-applies its deployment on every start: same id, 200, fields and schedules replaced.
        JsonNode again = api.post("/deployments/", servedDeployment(flowId, "ref-serve-dep", "served again"), 200);
        assertEquals(id, again.get("id").asText());
        assertEquals("served again", again.get("description").asText());
        assertEquals(1, again.get("schedules").size());
        assertNotEquals(schedule.get("id"), again.get("schedules").get(0).get("id"));

        // run_deployment: parameters over the deployment's, tags of both, Scheduled now.
        JsonNode run = api.post("/deployments/" + id + "/create_flow_run", """
                {"state": {"type": "SCHEDULED", "name": "Scheduled", "message": null,
                           "state_details": {"scheduled_time": "%s", "traceparent": null}, "data": null},
                 "name": null, "parameters": {"times": 2}, "context": {}, "tags": ["extra"], "idempotency_key": null,
                 "parent_task_run_id": null, "job_variables": null, "labels": {}}
                """.formatted(Instant.now().minusSeconds(1)), 201);
        assertResponse("POST", "/deployments/{id}/create_flow_run", 201, run);
        assertEquals("{\"who\":\"default-who\",\"times\":2}", run.get("parameters").toString());
        assertEquals("[\"ref\",\"served\",\"extra\"]", run.get("tags").toString());
        assertEquals(id, run.get("deployment_id").asText());
        assertEquals("2024.1", run.get("deployment_version").asText());
        assertEquals(id, run.at("/labels/prefect.deployment.id").asText());
        assertEquals(flowId, run.at("/labels/prefect.flow.id").asText());
        assertEquals("SCHEDULED", run.get("state_type").asText());
        assertFalse(run.get("auto_scheduled").asBoolean());

        JsonNode due = api.post("/deployments/get_scheduled_flow_runs", poll, 200);
        assertResponse("POST", "/deployments/get_scheduled_flow_runs", 200, due);
        assertEquals(1, due.size(), "the scheduler's runs of the daily 03:00 cron are not due within 10 s: " + due);
        assertEquals(run.get("id"), due.get(0).get("id"));
        String future = "{\"deployment_ids\":[\"" + id + "\"],\"scheduled_before\":\"" + pythonTime(Instant.now().minusSeconds(3600)) + "\"}";
        assertEquals("[]", api.post("/deployments/get_scheduled_flow_runs", future, 200).toString(), "not due before an hour ago");

        // Parameters that fail the flow's signature are refused, nothing created.
        long before = runsNotAutoScheduled(api, id);
        JsonNode refused = api.post("/deployments/" + id + "/create_flow_run", "{\"parameters\":{\"times\":\"many\"}}", 409);
        assertTrue(refused.get("detail").asText().startsWith("Error creating flow run: Validation failed for field 'times'."),
                refused.toString());
        assertEquals(before, runsNotAutoScheduled(api, id));
        // ... unless the run turns enforcement off, as upstream allows.
        api.post("/deployments/" + id + "/create_flow_run", "{\"parameters\":{\"times\":\"many\"},\"enforce_parameter_schema\":false}", 201);
    }

    /**
     * How a cancelled run reaches the runner that serves it: the runner subscribes to
     * {@code /events/out} with exactly this filter (from the recording, {@code "id": {"id": []}}
     * included) and kills the process when its run's {@code prefect.flow-run.Cancelling} arrives.
     * The event is checked against the recorded one: its id is the state's, it follows the Running
     * state's, and its related resources are the flow, the deployment and the tags.
     */
    @Test
    void aCancellingRunReachesTheRunnersSubscriptionAsRecorded() throws Exception {
        Api api = api();
        String flowName = "cancel-" + UUID.randomUUID();
        String flowId = api.post("/flows/", "{\"name\":\"" + flowName + "\"}", 201).get("id").asText();
        String id = api.post("/deployments/", servedDeployment(flowId, "ref-serve-dep", "d"), 201).get("id").asText();
        String runId = api.post("/deployments/" + id + "/create_flow_run", "{\"parameters\":{\"sleep_s\":120}}", 201).get("id").asText();
        api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"PENDING\"}}", 201);
        JsonNode running = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        try (EventsSocket socket = EventsSocket.openOut(server().base())) {
            socket.send("{\"type\": \"auth\", \"token\": null}");
            assertEquals("{\"type\":\"auth_success\"}", socket.awaitMessages(1, 10).get(0));
            socket.send(("{\"type\": \"filter\", \"filter\": {\"occurred\": {\"since\": \"%s\", \"until\": \"%s\"}, \"event\": "
                    + "{\"prefix\": null, \"exclude_prefix\": null, \"name\": [\"prefect.flow-run.Cancelling\"], \"exclude_name\": null}, "
                    + "\"resource\": null, \"related\": null, \"any_resource\": null, \"id\": {\"id\": []}, \"text\": null, "
                    + "\"order\": \"DESC\"}}").formatted(Instant.now().minusSeconds(60), Instant.now().plusSeconds(365L * 86400)));
            socket.ping(new byte[] {1}, 5);
            JsonNode cancelling = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"CANCELLING\",\"name\":"
                    + "\"Cancelling\"},\"force\":false}", 201);
            JsonNode event = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (event == null && System.nanoTime() < deadline) {
                // A copy: the socket's list grows while the messages are read (a view of it threw ConcurrentModificationException).
                List<String> messages = List.copyOf(socket.awaitMessages(2, 10));
                for (String message : messages.subList(1, messages.size())) {
                    JsonNode m = Api.JSON.readTree(message).get("event");
                    if (m.at("/resource/prefect.resource.id").asText().equals("prefect.flow-run." + runId)) {
                        event = m;
                    }
                }
            }
            assertTrue(event != null, "the runner hears of its Cancelling run");
            assertEquals("prefect.flow-run.Cancelling", event.get("event").asText());
            assertEquals(cancelling.at("/state/id").asText(), event.get("id").asText(), "the event's id is the state's");
            assertEquals(running.at("/state/id").asText(), event.get("follows").asText(), "it follows the Running state");
            assertTrue(event.at("/resource/prefect.state-timestamp").asText().endsWith("+00:00"), event.toString());
            assertEquals("", event.at("/resource/prefect.state-message").asText());
            // compared as JSON: PostgreSQL stores events as JSONB, which orders keys its own way
            assertEquals(Api.JSON.readTree("{\"intended\":{\"from\":\"RUNNING\",\"to\":\"CANCELLING\"},\"initial_state\":{\"type\":\"RUNNING\","
                    + "\"name\":\"Running\"},\"validated_state\":{\"type\":\"CANCELLING\",\"name\":\"Cancelling\"}}"), event.get("payload"));
            assertEquals(Api.JSON.readTree("[{\"prefect.resource.id\":\"prefect.flow." + flowId + "\",\"prefect.resource.role\":\"flow\","
                    + "\"prefect.resource.name\":\"" + flowName + "\"},{\"prefect.resource.id\":\"prefect.deployment." + id + "\","
                    + "\"prefect.resource.role\":\"deployment\",\"prefect.resource.name\":\"ref-serve-dep\"},"
                    + "{\"prefect.resource.id\":\"prefect.tag.ref\",\"prefect.resource.role\":\"tag\"},"
                    + "{\"prefect.resource.id\":\"prefect.tag.served\",\"prefect.resource.role\":\"tag\"}]"), event.get("related"));
            assertEquals(1000, socket.closeHandshake(10).code());
        }
        // What the runner sends next, from the recording: Crashed is refused while Cancelling, Cancelled is taken.
        JsonNode crashed = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"CRASHED\",\"name\":\"Crashed\","
                + "\"message\":\"Flow run process exited with non-zero status code -15.\"},\"force\":false}", 200);
        assertEquals("REJECT", crashed.get("status").asText());
        assertEquals("Cannot transition flows that are cancelling to a state other than Cancelled.", crashed.at("/details/reason").asText());
        api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"CANCELLED\",\"name\":\"Cancelled\",\"message\":"
                + "\"Flow run was cancelled successfully.\"},\"force\":false}", 201);
        List<String> history = new ArrayList<>();
        api.get("/flow_run_states/?flow_run_id=" + runId, 200).forEach(st -> history.add(st.get("type").asText()));
        assertEquals(List.of("SCHEDULED", "PENDING", "RUNNING", "CANCELLING", "CANCELLED"), history);
    }

    @Test
    void pauseAndScheduleTogglesAndListings() throws Exception {
        Api api = api();
        String flowName = "toggles-" + UUID.randomUUID();
        String flowId = api.post("/flows/", "{\"name\":\"" + flowName + "\"}", 201).get("id").asText();
        String id = api.post("/deployments/", servedDeployment(flowId, "dep", "d"), 201).get("id").asText();
        String scheduleId = api.get("/deployments/" + id + "/schedules", 200).get(0).get("id").asText();

        assertEquals(204, api.patch("/deployments/" + id, "{\"paused\": true}").status());
        assertTrue(api.get("/deployments/" + id, 200).get("paused").asBoolean());
        assertEquals(204, api.patch("/deployments/" + id, "{\"paused\": false}").status());
        // DeploymentUpdate allows null for columns that cannot be null: they stay as stored.
        assertEquals(204, api.patch("/deployments/" + id, "{\"parameters\": null, \"enforce_parameter_schema\": null}").status());
        JsonNode kept = api.get("/deployments/" + id, 200);
        assertEquals("{\"who\":\"default-who\"}", kept.get("parameters").toString());
        assertTrue(kept.get("enforce_parameter_schema").asBoolean());
        assertEquals(200, api.post("/deployments/" + id + "/pause_deployment", "").status());
        assertTrue(api.get("/deployments/" + id, 200).get("paused").asBoolean());
        assertEquals(200, api.post("/deployments/" + id + "/resume_deployment", "").status());
        assertFalse(api.get("/deployments/" + id, 200).get("paused").asBoolean());

        assertEquals(204, api.patch("/deployments/" + id + "/schedules/" + scheduleId, "{\"active\": false}").status());
        JsonNode schedules = api.get("/deployments/" + id + "/schedules", 200);
        assertResponse("GET", "/deployments/{id}/schedules", 200, schedules);
        assertFalse(schedules.get(0).get("active").asBoolean());
        assertEquals("{\"cron\":\"0 3 * * *\",\"timezone\":null,\"day_or\":true}", schedules.get(0).get("schedule").toString(),
                "a toggle keeps the schedule");

        String interval = "{\"schedule\":{\"interval\":3600.0,\"anchor_date\":\"2026-01-01T00:00:00Z\",\"timezone\":\"UTC\"},\"slug\":\"hourly\"}";
        Api.Reply duplicate = api.post("/deployments/" + id + "/schedules", "[" + interval + "," + interval + "]");
        assertEquals(422, duplicate.status());
        assertEquals("Schedule slugs must be unique within a deployment.", duplicate.body().get("detail").asText());
        assertEquals(1, api.get("/deployments/" + id + "/schedules", 200).size(), "nothing half-created");
        JsonNode added = api.post("/deployments/" + id + "/schedules", "[" + interval + "]", 201);
        assertResponse("POST", "/deployments/{id}/schedules", 201, added);
        assertEquals("hourly", added.get(0).get("slug").asText());
        assertEquals(422, api.post("/deployments/" + id + "/schedules", "[" + interval + "]").status(), "the slug is taken");
        String addedId = added.get(0).get("id").asText();
        assertEquals(204, api.delete("/deployments/" + id + "/schedules/" + addedId).status());
        Api.Reply gone = api.delete("/deployments/" + id + "/schedules/" + addedId);
        assertEquals(404, gone.status());
        assertEquals("Schedule not found.", gone.body().get("detail").asText());

        String filter = "{\"flows\":{\"name\":{\"any_\":[\"" + flowName + "\"]}}}";
        JsonNode listed = api.post("/deployments/filter", filter, 200);
        assertResponse("POST", "/deployments/filter", 200, listed);
        assertEquals(1, listed.size());
        assertEquals(1, listed.get(0).get("schedules").size());
        assertEquals(1, api.post("/deployments/count", filter, 200).asInt());
        JsonNode page = api.post("/deployments/paginate", filter, 200);
        assertResponse("POST", "/deployments/paginate", 200, page);
        assertEquals(1, page.get("count").asInt());

        // Bulk create: each run on its own, a refused one does not stop the others.
        JsonNode bulk = api.post("/deployments/" + id + "/create_flow_run/bulk",
                "[{\"parameters\":{\"times\":3}},{\"parameters\":{\"times\":\"many\"}}]", 200);
        assertResponse("POST", "/deployments/{id}/create_flow_run/bulk", 200, bulk);
        assertEquals("CREATED", bulk.at("/results/0/status").asText());
        assertEquals(3, api.get("/flow_runs/" + bulk.at("/results/0/flow_run_id").asText(), 200).at("/parameters/times").asInt());
        assertEquals("FAILED", bulk.at("/results/1/status").asText());
        assertTrue(bulk.at("/results/1/error").asText().startsWith("Parameter validation failed: Validation failed for field 'times'."),
                bulk.toString());
        assertTrue(bulk.at("/results/1/flow_run_id").isNull());
        String tooMany = "[" + String.join(",", Collections.nCopies(101, "{}")) + "]";
        Api.Reply refused = api.post("/deployments/" + id + "/create_flow_run/bulk", tooMany);
        assertEquals(400, refused.status());
        assertEquals("Cannot create more than 100 flow runs at once.", refused.body().get("detail").asText());

        JsonNode deleted = api.post("/deployments/bulk_delete", "{\"deployments\":{\"id\":{\"any_\":[\"" + id + "\"]}}}", 200);
        assertResponse("POST", "/deployments/bulk_delete", 200, deleted);
        assertEquals("{\"deleted\":[\"" + id + "\"]}", deleted.toString());
        assertEquals(404, api.get("/deployments/" + id).status());
        assertEquals(404, api.delete("/deployments/" + id).status());
        assertEquals("{\"deleted\":[]}", api.post("/deployments/bulk_delete", "{\"deployments\":{\"id\":{\"any_\":[\"" + id + "\"]}}}",
                200).toString());
    }

    @Test
    void badInputGetsUpstreamsAnswers() throws Exception {
        Api api = api();
        Api.Reply unknownFlow = api.post("/deployments/", servedDeployment(UUID.randomUUID().toString(), "x", "x"));
        assertEquals(409, unknownFlow.status(), unknownFlow.raw());
        Api.Reply missing = api.post("/deployments/" + UUID.randomUUID() + "/create_flow_run", "{}");
        assertEquals(404, missing.status());
        assertEquals("Deployment not found", missing.body().get("detail").asText());
        assertEquals(404, api.patch("/deployments/" + UUID.randomUUID(), "{\"paused\":true}").status());
        assertEquals(404, api.get("/deployments/" + UUID.randomUUID() + "/schedules").status());
        assertEquals(422, api.post("/deployments/", "{\"name\":\"no-flow-id\"}").status());
        Api.Reply notUuid = api.get("/deployments/not-a-uuid");
        assertEquals(404, notUuid.status(), "upstream's {id:uuid} route does not match");
        assertEquals("Not Found", notUuid.body().get("detail").asText());

        String flowId = api.post("/flows/", "{\"name\":\"bad-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        Api.Reply noPool = api.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"work_pool_name\":\"nowhere\"}");
        assertEquals(404, noPool.status());
        assertEquals("Work pool \"nowhere\" not found.", noPool.body().get("detail").asText());
        Api.Reply badCron = api.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"schedules\":[{\"schedule\":"
                + "{\"cron\":\"0 3 * * *\"}},{\"schedule\":{\"cron\":\"61 * * * *\"}}]}");
        assertEquals(422, badCron.status(), badCron.raw());
        JsonNode error = badCron.body().get("exception_detail").get(0);
        assertEquals("[\"body\",\"schedules\",1,\"schedule\",\"cron\"]", error.get("loc").toString());
        assertEquals("Value error, Invalid cron string: \"61 * * * *\"", error.get("msg").asText());
        Api.Reply badZone = api.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"schedules\":[{\"schedule\":"
                + "{\"rrule\":\"FREQ=DAILY\",\"timezone\":\"Mars/Olympus\"}}]}");
        assertEquals(422, badZone.status(), badZone.raw());
        assertEquals(0, api.post("/deployments/count", "{\"flows\":{\"id\":{\"any_\":[\"" + flowId + "\"]}}}", 200).asInt(),
                "nothing half-created");
    }
}
