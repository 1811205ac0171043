package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.RunningServer;

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
        assertEquals("NOT_READY", api.get("/work_pools/" + pool, 200).get("status").asText());

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
        assertEquals(List.of(sooner, onDefault, later), ids, "due runs of every queue, soonest first; the future one waits");
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
}
