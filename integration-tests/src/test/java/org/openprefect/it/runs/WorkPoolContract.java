package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TraceReplay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openprefect.it.support.OpenApiContract.assertResponse;

/**
 * Work pools, queues and workers as the worker and the CLI drive them (traces/worker.jsonl): pool
 * creation from the bundled worker metadata, queue priorities, the legacy queue routes, heartbeats
 * and the pool's status, and upstream's refusals. One subclass per database.
 */
abstract class WorkPoolContract {
    private static final List<String> POOL_FIELDS = List.of("id", "created", "updated", "name", "description", "type", "base_job_template",
            "is_paused", "concurrency_limit", "status", "default_queue_id", "storage_configuration");
    private static final List<String> QUEUE_FIELDS = List.of("id", "created", "updated", "name", "description", "is_paused",
            "concurrency_limit", "priority", "work_pool_id", "filter", "last_polled", "work_pool_name", "status");

    abstract RunningServer server() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<String> queueOrder(JsonNode queues) {
        List<String> order = new ArrayList<>();
        queues.forEach(q -> order.add(q.get("name").asText() + "=" + q.get("priority").asInt()));
        return order;
    }

    @Test
    void theWorkersExchangeWorksAsRecorded() throws Exception {
        Api api = api();
        String pool = "ref-proc-pool-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply missing = api.get("/work_pools/" + pool);
        assertEquals(404, missing.status());
        assertEquals("{\"detail\":\"Work pool \\\"" + pool + "\\\" not found.\"}", missing.raw());

        JsonNode metadata = api.get("/collections/views/aggregate-worker-metadata", 200);
        JsonNode template = metadata.at("/prefect/process/default_base_job_configuration");
        assertEquals("{{ command }}", template.at("/job_configuration/command").asText(), "the bundled copy has the process worker");

        JsonNode created = api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\",\"base_job_template\":" + template
                + ",\"is_paused\":false,\"concurrency_limit\":null}", 201);
        assertResponse("POST", "/work_pools/", 201, created);
        assertEquals(POOL_FIELDS, fields(created));
        assertEquals("NOT_READY", created.get("status").asText());
        assertEquals("{\"bundle_upload_step\":null,\"bundle_execution_step\":null,\"default_result_storage_block_id\":null}",
                created.get("storage_configuration").toString());
        assertEquals(template, created.get("base_job_template"));

        JsonNode urgent = api.post("/work_pools/" + pool + "/queues", "{\"name\": \"ref-urgent\", \"description\": null, \"is_paused\": false, "
                + "\"concurrency_limit\": null, \"priority\": 1, \"filter\": null}", 201);
        assertResponse("POST", "/work_pools/{work_pool_name}/queues", 201, urgent);
        assertEquals(QUEUE_FIELDS, fields(urgent));
        assertEquals("", urgent.get("description").asText());
        assertEquals(pool, urgent.get("work_pool_name").asText());
        assertEquals("NOT_READY", urgent.get("status").asText());
        JsonNode queues = api.post("/work_pools/" + pool + "/queues/filter", "{\"work_queues\": null, \"limit\": null, \"offset\": null}", 200);
        assertResponse("POST", "/work_pools/{work_pool_name}/queues/filter", 200, queues);
        assertEquals(List.of("ref-urgent=1", "default=2"), queueOrder(queues), "the default queue moved up, as recorded");
        assertEquals(created.get("default_queue_id"), queues.get(1).get("id"));
        assertEquals("The work pool's default queue.", queues.get(1).get("description").asText());

        String urgentId = urgent.get("id").asText();
        assertEquals(204, api.patch("/work_queues/" + urgentId, "{\"concurrency_limit\": 5}").status());
        assertEquals(5, api.get("/work_pools/" + pool + "/queues/ref-urgent", 200).get("concurrency_limit").asInt());
        assertEquals(urgent.get("id"), api.get("/work_queues/" + urgentId, 200).get("id"));
        assertEquals("{\"healthy\":false,\"late_runs_count\":0,\"last_polled\":null,\"health_check_policy\":{\"maximum_late_runs\":0,"
                + "\"maximum_seconds_since_last_polled\":60}}", api.get("/work_queues/" + urgentId + "/status", 200).toString());

        String online = "{\"workers\": {\"status\": {\"any_\": [\"ONLINE\"]}}, \"offset\": null, \"limit\": null}";
        assertEquals("[]", api.post("/work_pools/" + pool + "/workers/filter", online, 200).toString());
        assertEquals(204, api.post("/work_pools/" + pool + "/workers/heartbeat", "{\"name\": \"ref-worker-a\", \"heartbeat_interval_seconds\": 4}")
                .status());
        assertEquals(204, api.post("/work_pools/" + pool + "/workers/heartbeat", "{\"name\": \"ref-worker-a\"}").status(), "beats again");
        JsonNode workers = api.post("/work_pools/" + pool + "/workers/filter", online, 200);
        assertResponse("POST", "/work_pools/{work_pool_name}/workers/filter", 200, workers);
        assertEquals(1, workers.size());
        assertEquals(List.of("id", "created", "updated", "name", "work_pool_id", "last_heartbeat_time", "heartbeat_interval_seconds", "status"),
                fields(workers.get(0)));
        assertEquals("ONLINE", workers.get(0).get("status").asText());
        assertEquals(4, workers.get(0).get("heartbeat_interval_seconds").asInt(), "kept when a beat leaves it out");
        assertEquals("READY", api.get("/work_pools/" + pool, 200).get("status").asText(), "a worker's heartbeat makes the pool READY");

        assertEquals(204, api.patch("/work_pools/" + pool, "{\"is_paused\": true}").status());
        assertEquals("PAUSED", api.get("/work_pools/" + pool, 200).get("status").asText());
        assertEquals(204, api.patch("/work_pools/" + pool, "{\"is_paused\": false}").status());
        assertEquals("READY", api.get("/work_pools/" + pool, 200).get("status").asText(), "resumed with an ONLINE worker");

        JsonNode listed = api.post("/work_pools/filter", "{\"limit\": null, \"offset\": 0, \"work_pools\": {\"name\": {\"any_\": [\"" + pool
                + "\"]}}}", 200);
        assertResponse("POST", "/work_pools/filter", 200, listed);
        assertEquals(1, listed.size());
        assertEquals(1, api.post("/work_pools/count", "{\"work_pools\": {\"name\": {\"any_\": [\"" + pool + "\"]}}}", 200).asInt());
    }

    @Test
    void queuePrioritiesMoveAsUpstreamMovesThem() throws Exception {
        Api api = api();
        String pool = "prio-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}", 201);
        api.post("/work_pools/" + pool + "/queues", "{\"name\":\"b\"}", 201);
        api.post("/work_pools/" + pool + "/queues", "{\"name\":\"c\"}", 201);
        String queues = "/work_pools/" + pool + "/queues/filter";
        assertEquals(List.of("default=1", "b=2", "c=3"), queueOrder(api.post(queues, "{}", 200)), "the next free priority");
        api.post("/work_pools/" + pool + "/queues", "{\"name\":\"top\",\"priority\":1}", 201);
        assertEquals(List.of("top=1", "default=2", "b=3", "c=4"), queueOrder(api.post(queues, "{}", 200)));
        assertEquals(204, api.patch("/work_pools/" + pool + "/queues/c", "{\"priority\": 2}").status());
        assertEquals(List.of("top=1", "c=2", "default=3", "b=4"), queueOrder(api.post(queues, "{}", 200)));
        assertEquals(204, api.delete("/work_pools/" + pool + "/queues/b").status());
        api.post("/work_pools/" + pool + "/queues", "{\"name\":\"d\"}", 201);
        assertEquals(List.of("top=1", "c=2", "default=3", "d=4"), queueOrder(api.post(queues, "{}", 200)), "the next free priority after the highest");
    }

    /**
     * What a worker polls: its pool's due Scheduled runs as WorkerFlowRunResponses (the core FlowRun
     * shape of the recording), soonest first, within the queues' and the pool's free slots; nothing
     * from a paused queue or pool; the polled queue and its deployment become READY.
     */
    @Test
    void aWorkerGetsItsPoolsDueRunsWithinTheLimits() throws Exception {
        Api api = api();
        String pool = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        String poolId = api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}", 201).get("id").asText();
        String urgentId = api.post("/work_pools/" + pool + "/queues", "{\"name\":\"urgent\",\"priority\":1}", 201).get("id").asText();
        String flowId = api.post("/flows/", "{\"name\":\"" + pool + "-flow\"}", 201).get("id").asText();
        String deploymentId = api.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"work_pool_name\":\"" + pool
                + "\",\"work_queue_name\":\"urgent\",\"enforce_parameter_schema\":false}", 201).get("id").asText();
        assertEquals("NOT_READY", api.get("/deployments/" + deploymentId, 200).get("status").asText());
        Instant now = Instant.now();
        String later = scheduled(api, deploymentId, now.minusSeconds(5), null);
        String sooner = scheduled(api, deploymentId, now.minusSeconds(30), null);
        String onDefault = scheduled(api, deploymentId, now.minusSeconds(20), "default");
        scheduled(api, deploymentId, now.plusSeconds(3600), null);

        String poll = "{\"work_queue_names\": [], \"scheduled_before\": \"" + now.plusSeconds(10).toString().replace("T", " ")
                .replace("Z", "+00:00") + "\"}";
        JsonNode runs = api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", poll, 200);
        assertResponse("POST", "/work_pools/{name}/get_scheduled_flow_runs", 200, runs);
        List<String> ids = new ArrayList<>();
        runs.forEach(r -> ids.add(r.at("/flow_run/id").asText()));
        assertEquals(List.of(sooner, later, onDefault), ids, "due runs of every queue, by queue priority, then soonest first; the future one "
                + "waits");
        assertEquals(poolId, runs.get(0).get("work_pool_id").asText());
        assertEquals(urgentId, runs.get(0).get("work_queue_id").asText());
        assertEquals(List.of("id", "created", "updated", "name", "flow_id", "state_id", "deployment_id", "deployment_version",
                "work_queue_name", "flow_version", "parameters", "idempotency_key", "context", "empirical_policy", "tags", "labels",
                "parent_task_run_id", "state_type", "state_name", "run_count", "expected_start_time", "next_scheduled_start_time",
                "start_time", "end_time", "total_run_time", "estimated_run_time", "estimated_start_time_delta", "auto_scheduled",
                "infrastructure_document_id", "infrastructure_pid", "created_by", "work_queue_id", "state", "job_variables"),
                fields(runs.get(0).get("flow_run")), "the core FlowRun of the recording");
        JsonNode urgent = api.get("/work_queues/" + urgentId, 200);
        assertEquals("READY", urgent.get("status").asText(), "a polled queue is READY");
        assertTrue(!urgent.get("last_polled").isNull());
        assertEquals("READY", api.get("/deployments/" + deploymentId, 200).get("status").asText(), "and so is its deployment");

        String only = "{\"work_queue_names\": [\"urgent\"], \"scheduled_before\": \"" + now.plusSeconds(10) + "\"}";
        assertEquals(2, api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", only, 200).size(), "only the named queue");

        api.post("/flow_runs/" + sooner + "/set_state", "{\"state\":{\"type\":\"PENDING\"}}", 201);
        assertEquals(204, api.patch("/work_pools/" + pool, "{\"concurrency_limit\": 2}").status());
        assertEquals(1, api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", poll, 200).size(), "one slot left in the pool");
        assertEquals(204, api.patch("/work_queues/" + urgentId, "{\"concurrency_limit\": 1}").status());
        JsonNode limited = api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", poll, 200);
        assertEquals(1, limited.size());
        assertEquals(onDefault, limited.get(0).at("/flow_run/id").asText(), "the full queue offers nothing, the default queue still does");
        assertEquals(204, api.patch("/work_pools/" + pool, "{\"is_paused\": true}").status());
        assertEquals("[]", api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", poll, 200).toString(), "a paused pool offers nothing");
        assertEquals(404, api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", "{\"work_queue_names\": [\"nope\"]}").status());
    }

    private static String scheduled(Api api, String deploymentId, Instant at, String queue) {
        return api.post("/deployments/" + deploymentId + "/create_flow_run", "{\"state\":{\"type\":\"SCHEDULED\",\"state_details\":"
                + "{\"scheduled_time\":\"" + at + "\"}}" + (queue == null ? "" : ",\"work_queue_name\":\"" + queue + "\"") + "}", 201)
                .get("id").asText();
    }

    @Test
    void badInputGetsUpstreamsAnswers() throws Exception {
        Api api = api();
        Api.Reply reserved = api.post("/work_pools/", "{\"name\":\"Prefect-mine\",\"type\":\"process\"}");
        assertEquals(403, reserved.status());
        assertEquals("Work pools starting with 'Prefect' are reserved for internal use.", reserved.body().get("detail").asText());
        String pool = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}", 201);
        Api.Reply duplicate = api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}");
        assertEquals(409, duplicate.status());
        assertEquals("A work pool with this name already exists.", duplicate.body().get("detail").asText());
        assertEquals(409, api.post("/work_pools/" + pool + "/queues", "{\"name\":\"default\"}").status());
        Api.Reply noQueue = api.get("/work_pools/" + pool + "/queues/nope");
        assertEquals(404, noQueue.status());
        assertEquals("Work pool queue '" + pool + "/nope' not found.", noQueue.body().get("detail").asText());
        assertEquals(404, api.post("/work_pools/nowhere/workers/heartbeat", "{\"name\":\"w\"}").status());
        assertEquals(422, api.post("/work_pools/" + pool + "/workers/heartbeat", "{}").status(), "a heartbeat names its worker");
        assertEquals(400, api.delete("/work_pools/" + pool + "/queues/default").status(), "the default queue stays");
        assertEquals(404, api.delete("/work_pools/" + pool + "/workers/nobody").status());
        assertEquals(404, api.get("/work_queues/" + UUID.randomUUID()).status());
        Api.Reply template = api.post("/work_pools/", "{\"name\":\"t-" + pool + "\",\"type\":\"process\",\"base_job_template\":"
                + "{\"job_configuration\":{\"command\":\"{{ command }}\",\"image\":\"{{ image }}\"},\"variables\":{\"properties\":"
                + "{\"command\":{\"type\":\"string\"}}}}}");
        assertEquals(422, template.status(), template.raw());
        assertEquals("Value error, The variables specified in the job configuration template must be present as properties in the "
                + "variables schema. Your job configuration uses the following undeclared variable(s): image.",
                template.body().at("/exception_detail/0/msg").asText());
        assertEquals(404, api.get("/work_pools/t-" + pool).status(), "nothing created");
        assertEquals(422, api.patch("/work_pools/" + pool, "{\"base_job_template\":{\"job_configuration\":{\"a\":1}}}").status());
        assertEquals(204, api.delete("/work_pools/" + pool).status());
        assertEquals(404, api.get("/work_pools/" + pool).status());
        assertTrue(api.post("/work_pools/count", "{}", 200).asInt() >= 0);
    }

    /**
     * The whole recorded exchange of traces/worker.jsonl (the CLI creating the pool and queue and
     * listing them, the deployment, the background worker's heartbeats and polls, the runs it
     * submitted and the engine processes that ran them, the run-once worker, pause and resume)
     * replayed in its order: every answer has upstream's status and fields, every poll hands out
     * as many runs as upstream's did, and the three runs end COMPLETED.
     */
    @Test
    void theRecordedWorkerExchangeGetsUpstreamsAnswers() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TraceReplay replay = new TraceReplay(server().api("")).rename("ref-proc-pool", "ref-proc-pool-" + suffix)
                .rename("ref-worker-dep", "ref-worker-dep-" + suffix).rename("ref-worker-flow", "ref-worker-flow-" + suffix)
                .rewriteBodies(b -> b.has("scheduled_before") ? b.put("scheduled_before", TraceReplay.pythonTime(Instant.now().plusSeconds(5)))
                        : b);
        assertEquals(List.of(), replay.replay("/traces/worker-http.jsonl"));
        Api api = api();
        for (String recordedRun : List.of("ae0c70a8-55ee-4a9b-a53d-0bc9320ed4a6", "92afaa43-edbd-4c71-9e4d-385da4a64db0",
                "5375154b-3fe3-446a-a4a2-04594b38b25c")) {
            JsonNode run = api.get("/flow_runs/" + replay.ids().get(recordedRun), 200);
            assertEquals("COMPLETED", run.get("state_type").asText(), run.toString());
        }
        assertEquals("READY", api.get("/work_pools/ref-proc-pool-" + suffix, 200).get("status").asText(), "resumed with ONLINE workers");
    }

    /**
     * The legacy {@code /work_queues/} routes (the CLI's {@code work-queue create/ls/inspect/delete}
     * without {@code --pool}, older agents): queues without a pool live in {@code default-agent-pool},
     * made on first use.
     */
    @Test
    void theLegacyQueueRoutesKeepPoollessQueuesInTheAgentPool() throws Exception {
        Api api = api();
        String name = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = api.post("/work_queues/", "{\"name\":\"" + name + "\",\"concurrency_limit\":2}", 201);
        assertResponse("POST", "/work_queues/", 201, created);
        assertEquals(QUEUE_FIELDS, fields(created));
        assertEquals("default-agent-pool", created.get("work_pool_name").asText());
        assertEquals("prefect-agent", api.get("/work_pools/default-agent-pool", 200).get("type").asText());
        Api.Reply duplicate = api.post("/work_queues/", "{\"name\":\"" + name + "\"}");
        assertEquals(409, duplicate.status());
        assertEquals("{\"detail\":\"A work queue with this name already exists.\"}", duplicate.raw());

        String id = created.get("id").asText();
        assertEquals(created.get("id"), api.get("/work_queues/name/" + name, 200).get("id"));
        assertEquals("{\"detail\":\"work queue not found\"}", api.get("/work_queues/name/nope-" + name).raw());
        JsonNode listed = api.post("/work_queues/filter", "{\"work_queues\":{\"name\":{\"startswith_\":[\"" + name + "\"]}}}", 200);
        assertResponse("POST", "/work_queues/filter", 200, listed);
        assertEquals(1, listed.size());

        String flowId = api.post("/flows/", "{\"name\":\"" + name + "-flow\"}", 201).get("id").asText();
        String deploymentId = api.post("/deployments/", "{\"name\":\"d\",\"flow_id\":\"" + flowId + "\",\"work_queue_name\":\"" + name
                + "\",\"enforce_parameter_schema\":false}", 201).get("id").asText();
        assertEquals("default-agent-pool", api.get("/deployments/" + deploymentId, 200).get("work_pool_name").asText(),
                "a queue named without a pool is the agents'");
        String due = scheduled(api, deploymentId, Instant.now().minusSeconds(60), null);
        scheduled(api, deploymentId, Instant.now().plusSeconds(3600), null);
        String before = "{\"scheduled_before\":\"" + Instant.now().plusSeconds(5) + "\"}";
        Api.Reply fromUi = api.postWithHeaders("/work_queues/" + id + "/get_runs", before, "X-Prefect-Ui", "true");
        assertEquals(200, fromUi.status(), fromUi.raw());
        assertResponse("POST", "/work_queues/{id}/get_runs", 200, fromUi.body());
        assertEquals(1, fromUi.body().size());
        assertEquals(due, fromUi.body().get(0).get("id").asText());
        assertTrue(api.get("/work_queues/" + id, 200).get("last_polled").isNull(), "the UI's look is not a poll");
        assertEquals(2, api.post("/work_queues/" + id + "/get_runs", "{}", 200).size(), "without a bound, every Scheduled run");
        JsonNode polled = api.get("/work_queues/" + id, 200);
        assertEquals("READY", polled.get("status").asText(), "an agent's poll makes the queue READY");
        assertEquals("READY", api.get("/deployments/" + deploymentId, 200).get("status").asText());

        String tagged = api.post("/work_queues/", "{\"name\":\"" + name + "-tagged\",\"filter\":{\"tags\":[\"" + name + "\"],"
                + "\"deployment_ids\":null}}", 201).get("id").asText();
        String taggedDeployment = api.post("/deployments/", "{\"name\":\"t\",\"flow_id\":\"" + flowId + "\",\"tags\":[\"" + name
                + "\",\"other\"],\"enforce_parameter_schema\":false}", 201).get("id").asText();
        JsonNode check = api.get("/deployments/" + taggedDeployment + "/work_queue_check", 200);
        assertResponse("GET", "/deployments/{id}/work_queue_check", 200, check);
        assertEquals(1, check.size(), "only the queue whose tags the deployment has: " + check);
        assertEquals(tagged, check.get(0).get("id").asText());
        assertEquals("[]", api.get("/deployments/" + deploymentId + "/work_queue_check", 200).toString(), "untagged, no filter matches");
        assertEquals(404, api.get("/deployments/" + UUID.randomUUID() + "/work_queue_check").status());

        api.post("/flow_runs/" + due + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        assertEquals(204, api.patch("/work_queues/" + id, "{\"concurrency_limit\":1}").status());
        assertEquals("[]", api.post("/work_queues/" + id + "/get_runs", "{}", 200).toString(), "its one slot is taken");
        Api.Reply unknown = api.post("/work_queues/" + UUID.randomUUID() + "/get_runs", "{}");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().get("exception_message").asText().startsWith("Work queue with id "), unknown.raw());

        assertEquals(204, api.delete("/work_queues/" + id).status());
        assertEquals(404, api.get("/work_queues/" + id).status());
        assertEquals(404, api.delete("/work_queues/" + id).status());
        String agentDefault = api.get("/work_pools/default-agent-pool", 200).get("default_queue_id").asText();
        assertEquals(400, api.delete("/work_queues/" + agentDefault).status(), "a pool's default queue stays");
    }

    /** A deployment's pool and queue as upstream resolves them, and its job variables checked against the pool's template. */
    @Test
    void deploymentsGetTheirQueueAndTheirJobVariablesChecked() throws Exception {
        Api api = api();
        String pool = "jv-" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\",\"base_job_template\":{\"job_configuration\":"
                + "{\"command\":\"{{ command }}\",\"workers\":\"{{ workers }}\"},\"variables\":{\"type\":\"object\",\"required\":[\"command\"],"
                + "\"properties\":{\"command\":{\"type\":\"string\"},\"workers\":{\"type\":\"integer\",\"default\":1}}}}}", 201);
        String flowId = api.post("/flows/", "{\"name\":\"" + pool + "-flow\"}", 201).get("id").asText();
        String body = "{\"name\":\"%s\",\"flow_id\":\"" + flowId + "\",\"work_pool_name\":\"" + pool + "\",\"work_queue_name\":\"made\","
                + "\"enforce_parameter_schema\":false,\"job_variables\":%s}";

        Api.Reply wrongType = api.post("/deployments/", body.formatted("bad", "{\"workers\":\"many\"}"));
        assertEquals(422, wrongType.status(), wrongType.raw());
        assertTrue(wrongType.body().get("detail").asText().startsWith("Error creating deployment: Validation failed for field 'workers'."),
                wrongType.raw());
        assertEquals(404, api.get("/work_pools/" + pool + "/queues/made").status(), "nothing made by a refused deployment");

        JsonNode deployment = api.post("/deployments/", body.formatted("good", "{\"workers\":null}"), 201);
        JsonNode made = api.get("/work_pools/" + pool + "/queues/made", 200);
        assertEquals("made", deployment.get("work_queue_name").asText(), "the queue a deployment names is made");
        assertEquals(2, made.get("priority").asInt(), "at the first free priority");

        String runs = "/deployments/" + deployment.get("id").asText() + "/create_flow_run";
        Api.Reply missing = api.post(runs, "{}");
        assertEquals(422, missing.status(), "a run must end up with every required variable");
        assertTrue(missing.body().get("detail").asText().startsWith("Error creating flow run: Validation failed"), missing.raw());
        JsonNode run = api.post(runs, "{\"job_variables\":{\"command\":\"echo hi\"},\"work_queue_name\":\"other\"}", 201);
        assertEquals("other", run.get("work_queue_name").asText());
        assertEquals(api.get("/work_pools/" + pool + "/queues/other", 200).get("id"), run.get("work_queue_id"), "and so is the one a run names");
        assertEquals(1, api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", "{\"work_queue_names\":[\"other\"]}", 200).size());
    }

    /** Upstream's status events: prefect.work-pool.* and prefect.work-queue.* whenever a status changes. */
    @Test
    void statusChangesBecomeEvents() throws Exception {
        Api api = api();
        String pool = "ev-" + UUID.randomUUID().toString().substring(0, 8);
        String poolId = api.post("/work_pools/", "{\"name\":\"" + pool + "\",\"type\":\"process\"}", 201).get("id").asText();
        String queueId = api.get("/work_pools/" + pool + "/queues/default", 200).get("id").asText();
        api.post("/work_pools/" + pool + "/workers/heartbeat", "{\"name\":\"w\"}");
        api.patch("/work_pools/" + pool, "{\"is_paused\":true}");
        api.post("/work_pools/" + pool + "/get_scheduled_flow_runs", "{}", 200);
        api.patch("/work_queues/" + queueId, "{\"is_paused\":true}");

        List<String> poolEvents = events(api, "prefect.work-pool." + poolId, 3);
        assertEquals(List.of("prefect.work-pool.not-ready", "prefect.work-pool.ready", "prefect.work-pool.paused"), poolEvents);
        List<String> queueEvents = events(api, "prefect.work-queue." + queueId, 2);
        assertEquals(List.of("prefect.work-queue.ready", "prefect.work-queue.paused"), queueEvents);
        JsonNode paused = api.post("/events/filter", "{\"filter\":{\"resource\":{\"id\":[\"prefect.work-queue." + queueId + "\"]},"
                + "\"event\":{\"name\":[\"prefect.work-queue.paused\"]}}}", 200).at("/events/0");
        assertEquals("prefect.work-pool." + poolId, paused.at("/related/0/prefect.resource.id").asText());
        assertEquals("work-pool", paused.at("/related/0/prefect.resource.role").asText());
        JsonNode pausedPool = api.post("/events/filter", "{\"filter\":{\"resource\":{\"id\":[\"prefect.work-pool." + poolId + "\"]},"
                + "\"event\":{\"name\":[\"prefect.work-pool.paused\"]}}}", 200).at("/events/0");
        assertTrue(pausedPool.hasNonNull("follows"), "a status event follows the pool's previous one within ten minutes");
    }

    private static List<String> events(Api api, String resource, int expected) throws InterruptedException {
        // Emitted events are stored off the request path, as upstream's persister does: wait for them.
        List<String> names = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            names.clear();
            api.post("/events/filter", "{\"filter\":{\"resource\":{\"id\":[\"" + resource + "\"]},\"order\":\"ASC\"}}", 200).get("events")
                    .forEach(e -> names.add(e.get("event").asText()));
            if (names.size() >= expected) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return names;
    }
}
