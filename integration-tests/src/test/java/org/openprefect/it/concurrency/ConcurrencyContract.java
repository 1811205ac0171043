package org.openprefect.it.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.RunningServer;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openprefect.it.support.OpenApiContract.assertResponse;

/**
 * Concurrency limits as the CLI and the 3.4 engine use them (traces/concurrency.jsonl): tag limits
 * over global limits named {@code tag:<tag>}, global limits and rate limits, leases, the
 * repossessor, deployment concurrency, and many clients racing for few slots. One subclass per
 * database; each runs its own server with the repossessor every second.
 */
abstract class ConcurrencyContract {
    abstract RunningServer server() throws Exception;

    /** Makes every lease expired, as an hour without renewal would (the shortest lease is a minute). */
    abstract void expireAllLeases() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String leaseBody(String name, String holder) {
        return "{\"names\": [\"" + name + "\"], \"slots\": 1, \"mode\": \"concurrency\", \"lease_duration\": 60"
                + (holder == null ? "" : ", \"holder\": {\"type\": \"task_run\", \"id\": \"" + holder + "\"}") + "}";
    }

    @Test
    void tagLimitsWorkAsTheCliAndTheEngineUseThem() throws Exception {
        Api api = api();
        String tag = unique("ref-db");
        JsonNode created = api.post("/concurrency_limits/", "{\"tag\": \"" + tag + "\", \"concurrency_limit\": 1}", 201);
        assertResponse("POST", "/concurrency_limits/", 200, created);
        assertEquals(List.of("id", "created", "updated", "tag", "concurrency_limit", "active_slots"), fields(created));
        assertEquals("[]", created.get("active_slots").toString());
        assertEquals(created.get("id"), api.post("/concurrency_limits/", "{\"tag\": \"" + tag + "\", \"concurrency_limit\": 1}", 200).get("id"),
                "a second create updates the same limit");
        JsonNode global = api.get("/v2/concurrency_limits/tag:" + tag, 200);
        assertEquals(created.get("id"), global.get("id"), "stored as the global limit tag:<tag>, as upstream 3.4 stores it");

        String holder = UUID.randomUUID().toString();
        JsonNode granted = api.post("/v2/concurrency_limits/increment-with-lease", leaseBody("tag:" + tag, holder), 200);
        assertResponse("POST", "/v2/concurrency_limits/increment-with-lease", 200, granted);
        assertEquals("{\"id\":\"" + created.get("id").asText() + "\",\"name\":\"tag:" + tag + "\",\"limit\":1}", granted.at("/limits/0").toString());
        assertEquals("[\"" + holder + "\"]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString());
        HttpResponse<String> locked = Http.method("POST", server().api("/v2/concurrency_limits/increment-with-lease"),
                leaseBody("tag:" + tag, UUID.randomUUID().toString()), "Content-Type", "application/json");
        assertEquals(423, locked.statusCode());
        assertEquals("{\"detail\":\"Locked\"}", locked.body());
        assertTrue(Double.parseDouble(locked.headers().firstValue("Retry-After").orElseThrow()) > 0, "the engine waits as long as it is told");

        String leaseId = granted.get("lease_id").asText();
        assertEquals(204, api.post("/v2/concurrency_limits/leases/" + leaseId + "/renew", "{\"lease_duration\": 60}").status());
        assertEquals(204, api.post("/v2/concurrency_limits/decrement-with-lease", "{\"lease_id\": \"" + leaseId + "\"}").status());
        assertEquals("[]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString());
        assertEquals(0, api.get("/v2/concurrency_limits/tag:" + tag, 200).get("active_slots").asInt());
        Api.Reply gone = api.post("/v2/concurrency_limits/leases/" + leaseId + "/renew", "{\"lease_duration\": 60}");
        assertEquals(410, gone.status());
        assertEquals("Lease not found - it may have expired or been revoked", gone.body().get("detail").asText());
        assertEquals(204, api.post("/v2/concurrency_limits/decrement-with-lease", "{\"lease_id\": \"" + leaseId + "\"}").status(),
                "releasing twice frees nothing more");
        assertEquals(0, api.get("/v2/concurrency_limits/tag:" + tag, 200).get("active_slots").asInt());

        String taskRun = UUID.randomUUID().toString();
        JsonNode v1 = api.post("/concurrency_limits/increment", "{\"names\": [\"" + tag + "\"], \"task_run_id\": \"" + taskRun + "\"}", 200);
        assertEquals(tag, v1.get(0).get("name").asText());
        Api.Reply full = api.post("/concurrency_limits/increment", "{\"names\": [\"" + tag + "\"], \"task_run_id\": \"" + UUID.randomUUID() + "\"}");
        assertEquals(423, full.status());
        assertEquals("Concurrency limit for the " + tag + " tag has been reached", full.body().get("detail").asText());
        assertEquals("tag:" + tag, api.post("/concurrency_limits/decrement", "{\"names\": [\"" + tag + "\"], \"task_run_id\": \"" + taskRun + "\"}",
                200).get(0).get("name").asText());
        assertEquals("[]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString());

        JsonNode listed = api.post("/concurrency_limits/filter", "{\"limit\": 200, \"offset\": 0}", 200);
        assertTrue(listed.toString().contains("\"tag\":\"" + tag + "\""), listed.toString());
        String stuck = UUID.randomUUID().toString();
        api.post("/v2/concurrency_limits/increment-with-lease", leaseBody("tag:" + tag, stuck), 200);
        String kept = UUID.randomUUID().toString();
        Api.Reply reset = api.post("/concurrency_limits/tag/" + tag + "/reset", "{\"slot_override\": [\"" + kept + "\"]}");
        assertEquals(200, reset.status());
        assertEquals("null", reset.raw());
        assertEquals("[\"" + kept + "\"]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString());
        assertEquals(1, api.get("/v2/concurrency_limits/tag:" + tag, 200).get("active_slots").asInt(), "the reset freed the stuck slot");

        Api.Reply deleted = api.delete("/concurrency_limits/tag/" + tag);
        assertEquals(200, deleted.status());
        assertEquals("null", deleted.raw());
        Api.Reply missing = api.get("/concurrency_limits/tag/" + tag);
        assertEquals(404, missing.status());
        assertEquals("{\"detail\":\"Concurrency limit not found\"}", missing.raw());
    }

    @Test
    void globalLimitsAndRateLimitsAnswerAsUpstream() throws Exception {
        Api api = api();
        String name = unique("ref-slots");
        assertEquals("{\"detail\":\"Concurrency Limit not found\"}", api.get("/v2/concurrency_limits/" + name).raw());
        JsonNode created = api.post("/v2/concurrency_limits/", "{\"name\": \"" + name + "\", \"limit\": 2, \"active\": true, "
                + "\"active_slots\": 0, \"slot_decay_per_second\": 0.0}", 201);
        assertResponse("POST", "/v2/concurrency_limits/", 201, created);
        assertEquals(List.of("id", "created", "updated", "active", "name", "limit", "active_slots", "denied_slots", "slot_decay_per_second",
                "avg_slot_occupancy_seconds"), fields(created));
        JsonNode read = api.get("/v2/concurrency_limits/" + created.get("id").asText(), 200);
        assertResponse("GET", "/v2/concurrency_limits/{id_or_name}", 200, read);
        assertEquals(List.of("id", "created", "updated", "active", "name", "limit", "active_slots", "slot_decay_per_second"), fields(read));
        assertEquals(409, api.post("/v2/concurrency_limits/", "{\"name\": \"" + name + "\", \"limit\": 1}").status());
        assertEquals(204, api.patch("/v2/concurrency_limits/" + name, "{\"limit\": 3}").status());
        assertEquals(3, api.get("/v2/concurrency_limits/" + name, 200).get("limit").asInt());
        Api.Reply tooMany = api.post("/v2/concurrency_limits/increment", "{\"names\": [\"" + name + "\"], \"slots\": 4}");
        assertEquals(422, tooMany.status());
        assertEquals("Slots requested is greater than the limit", tooMany.body().get("detail").asText());
        Api.Reply notDecaying = api.post("/v2/concurrency_limits/increment", "{\"names\": [\"" + name + "\"], \"slots\": 1, \"mode\": \"rate_limit\"}");
        assertEquals(422, notDecaying.status());
        assertEquals("[]", api.post("/v2/concurrency_limits/increment", "{\"names\": [], \"slots\": 1}", 200).toString(),
                "no names, nothing to take: upstream's min_items is only a schema annotation, not a check");
        assertEquals(422, api.post("/v2/concurrency_limits/increment", "{\"names\": [\"" + name + "\"], \"slots\": 0}").status(),
                "slots must be positive");
        assertEquals(204, api.patch("/v2/concurrency_limits/" + name, "{\"active\": false}").status());
        assertEquals(name, api.post("/v2/concurrency_limits/increment", "{\"names\": [\"" + name + "\"], \"slots\": 3}", 200).get(0)
                .get("name").asText(), "an inactive limit grants without counting");
        assertEquals(0, api.get("/v2/concurrency_limits/" + name, 200).get("active_slots").asInt());

        String rate = unique("ref-rate");
        api.post("/v2/concurrency_limits/", "{\"name\": \"" + rate + "\", \"limit\": 2, \"slot_decay_per_second\": 2.0}", 201);
        String take = "{\"names\": [\"" + rate + "\"], \"slots\": 1, \"mode\": \"rate_limit\"}";
        assertEquals(200, api.post("/v2/concurrency_limits/increment", take).status());
        assertEquals(200, api.post("/v2/concurrency_limits/increment", take).status());
        HttpResponse<String> paced = Http.method("POST", server().api("/v2/concurrency_limits/increment"), take, "Content-Type", "application/json");
        assertEquals(423, paced.statusCode());
        assertEquals("0.5", paced.headers().firstValue("Retry-After").orElseThrow(), "one slot at two per second, as upstream words it");
        Thread.sleep(1100);
        assertEquals(200, api.post("/v2/concurrency_limits/increment", take).status(), "the slots decayed");

        JsonNode all = api.post("/v2/concurrency_limits/filter", "{\"limit\": 200}", 200);
        assertResponse("POST", "/v2/concurrency_limits/filter", 200, all);
        assertTrue(all.toString().contains(rate));
        assertEquals(204, api.delete("/v2/concurrency_limits/" + rate).status());
        assertEquals(404, api.delete("/v2/concurrency_limits/" + rate).status());
    }

    @Test
    void anExpiredLeaseGivesItsSlotBack() throws Exception {
        Api api = api();
        String name = unique("ref-expiring");
        api.post("/v2/concurrency_limits/", "{\"name\": \"" + name + "\", \"limit\": 1}", 201);
        JsonNode granted = api.post("/v2/concurrency_limits/increment-with-lease", leaseBody(name, UUID.randomUUID().toString()), 200);
        assertEquals(423, api.post("/v2/concurrency_limits/increment-with-lease", leaseBody(name, null)).status());
        expireAllLeases();
        assertEquals(0, awaitActiveSlots(api, name, 0), "the repossessor frees the slot of a lease nobody renewed");
        assertEquals(410, api.post("/v2/concurrency_limits/leases/" + granted.get("lease_id").asText() + "/renew", "{\"lease_duration\": 60}")
                .status());
        assertEquals(200, api.post("/v2/concurrency_limits/increment-with-lease", leaseBody(name, null)).status());
    }

    /** Task runs whose states go through the API take their tags' slots to run, as upstream's CoreTaskPolicy has them. */
    @Test
    void taskRunsTakeTheirTagsSlotsToRun() throws Exception {
        Api api = api();
        String tag = unique("ref-task-tag");
        api.post("/concurrency_limits/", "{\"tag\": \"" + tag + "\", \"concurrency_limit\": 1}", 201);
        String flowId = api.post("/flows/", "{\"name\": \"" + unique("ref-tasks") + "\"}", 201).get("id").asText();
        String flowRun = api.post("/flow_runs/", "{\"flow_id\": \"" + flowId + "\", \"state\": {\"type\": \"RUNNING\"}}", 201).get("id").asText();
        String first = task(api, flowRun, tag, "0");
        String second = task(api, flowRun, tag, "1");
        assertEquals("ACCEPT", taskState(api, first, "RUNNING").get("status").asText());
        assertEquals("[\"" + first + "\"]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString());
        Api.Reply waiting = api.post("/task_runs/" + second + "/set_state", "{\"state\": {\"type\": \"RUNNING\"}}");
        assertEquals("WAIT", waiting.body().get("status").asText(), waiting.raw());
        assertEquals(30, waiting.body().at("/details/delay_seconds").asInt(), "PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS");
        assertEquals("Concurrency limit reached for tags: " + tag, waiting.body().at("/details/reason").asText());
        taskState(api, first, "COMPLETED");
        assertEquals("[]", api.get("/concurrency_limits/tag/" + tag, 200).get("active_slots").toString(), "a terminal state frees the slot");
        assertEquals("ACCEPT", taskState(api, second, "RUNNING").get("status").asText());
        api.post("/task_runs/" + second + "/set_state", "{\"state\": {\"type\": \"CRASHED\"}, \"force\": true}", 201);
        assertEquals(0, api.get("/v2/concurrency_limits/tag:" + tag, 200).get("active_slots").asInt(), "so does a crash");

        api.post("/concurrency_limits/", "{\"tag\": \"" + tag + "\", \"concurrency_limit\": 0}", 200);
        JsonNode aborted = taskState(api, task(api, flowRun, tag, "2"), "RUNNING");
        assertEquals("ABORT", aborted.get("status").asText());
        assertEquals("The concurrency limit on tag \"" + tag + "\" is 0 and will deadlock if the task tries to run again.",
                aborted.at("/details/reason").asText());
    }

    private static String task(Api api, String flowRun, String tag, String key) {
        return api.post("/task_runs/", "{\"flow_run_id\": \"" + flowRun + "\", \"task_key\": \"t\", \"dynamic_key\": \"" + key + "\", "
                + "\"tags\": [\"" + tag + "\"]}", 201).get("id").asText();
    }

    private static JsonNode taskState(Api api, String taskRun, String type) {
        Api.Reply r = api.post("/task_runs/" + taskRun + "/set_state", "{\"state\": {\"type\": \"" + type + "\"}}");
        assertTrue(r.status() == 200 || r.status() == 201, r.raw());
        return r.body();
    }

    /** traces/concurrency.jsonl's deployment with concurrency_limit=1: the second run waits in AwaitingConcurrencySlot. */
    @Test
    void aDeploymentsRunsTakeItsSlotsOneAtATime() throws Exception {
        Api api = api();
        String flowId = api.post("/flows/", "{\"name\": \"" + unique("ref-limited") + "\"}", 201).get("id").asText();
        JsonNode deployment = api.post("/deployments/", "{\"name\": \"ref-limited-dep\", \"flow_id\": \"" + flowId + "\", \"concurrency_limit\": 1, "
                + "\"concurrency_options\": null, \"enforce_parameter_schema\": false}", 201);
        String id = deployment.get("id").asText();
        assertTrue(deployment.get("concurrency_limit").isNull(), "upstream 3.4 always answers null there");
        assertEquals("deployment:" + id, deployment.at("/global_concurrency_limit/name").asText());
        assertEquals(List.of("id", "created", "updated", "active", "name", "limit", "active_slots", "slot_decay_per_second"),
                fields(deployment.get("global_concurrency_limit")));

        String first = run(api, id);
        String second = run(api, id);
        JsonNode pending = setState(api, first, "PENDING");
        assertEquals("ACCEPT", pending.get("status").asText());
        String lease = pending.at("/state/state_details/deployment_concurrency_lease_id").asText();
        assertTrue(lease.length() == 36, pending.toString());
        JsonNode waiting = setState(api, second, "PENDING");
        assertEquals("REJECT", waiting.get("status").asText());
        assertEquals("AwaitingConcurrencySlot", waiting.at("/state/name").asText());
        assertEquals("SCHEDULED", waiting.at("/state/type").asText());
        assertEquals("Deployment concurrency limit reached.", waiting.at("/details/reason").asText());

        JsonNode running = setState(api, first, "RUNNING");
        assertEquals(lease, running.at("/state/state_details/deployment_concurrency_lease_id").asText(), "RUNNING keeps PENDING's lease");
        assertEquals(204, api.post("/v2/concurrency_limits/leases/" + lease + "/renew", "{\"lease_duration\": 300}").status());
        assertEquals(1, api.get("/v2/concurrency_limits/deployment:" + id, 200).get("active_slots").asInt());
        setState(api, first, "COMPLETED");
        assertEquals(0, api.get("/v2/concurrency_limits/deployment:" + id, 200).get("active_slots").asInt(), "a terminal state frees the slot");
        assertEquals("ACCEPT", setState(api, second, "PENDING").get("status").asText());
        JsonNode crashed = api.post("/flow_runs/" + second + "/set_state", "{\"state\": {\"type\": \"CRASHED\"}, \"force\": true}", 201);
        assertEquals("ACCEPT", crashed.get("status").asText());
        assertEquals(0, api.get("/v2/concurrency_limits/deployment:" + id, 200).get("active_slots").asInt(), "so does a crash");

        assertEquals(204, api.patch("/deployments/" + id, "{\"concurrency_options\": {\"collision_strategy\": \"CANCEL_NEW\"}}").status());
        setState(api, run(api, id), "PENDING");
        JsonNode cancelled = setState(api, run(api, id), "PENDING");
        assertEquals("REJECT", cancelled.get("status").asText());
        assertEquals("CANCELLED", cancelled.at("/state/type").asText(), "CANCEL_NEW cancels the run that finds the limit full");

        assertEquals(204, api.patch("/deployments/" + id, "{\"concurrency_limit\": null}").status());
        assertTrue(api.get("/deployments/" + id, 200).get("global_concurrency_limit").isNull());
        assertEquals(404, api.get("/v2/concurrency_limits/deployment:" + id).status(), "its own limit goes with it");
        assertEquals("ACCEPT", setState(api, run(api, id), "PENDING").get("status").asText(), "no limit, no wait");
    }

    /** 16 clients race for 3 slots through thousands of acquisitions: never more than 3 holders, and every slot comes back. */
    @Test
    void racingClientsNeverExceedTheLimit() throws Exception {
        Api api = api();
        String name = unique("ref-race");
        api.post("/v2/concurrency_limits/", "{\"name\": \"" + name + "\", \"limit\": 3}", 201);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        int clients = 16;
        int perClient = 150;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                boolean crashes = i == 0;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < perClient; n++) {
                        Api.Reply r = api.post("/v2/concurrency_limits/increment-with-lease", leaseBody(name, UUID.randomUUID().toString()));
                        if (r.status() == 423) {
                            n--;
                            Thread.sleep(2);
                            continue;
                        }
                        assertEquals(200, r.status(), r.raw());
                        acquisitions.incrementAndGet();
                        // Held from the grant until the release is sent: never more such clients than the server counts.
                        most.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                        holders.decrementAndGet();
                        if (crashes && n == perClient - 1) {
                            return null;   // this holder dies holding its slot; its lease must expire
                        }
                        assertEquals(204, api.post("/v2/concurrency_limits/decrement-with-lease", "{\"lease_id\": \""
                                + r.body().get("lease_id").asText() + "\"}").status());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * perClient, acquisitions.get());
        assertTrue(most.get() <= 3, "at most 3 holders at once, saw " + most.get());
        assertEquals(1, api.get("/v2/concurrency_limits/" + name, 200).get("active_slots").asInt(), "only the crashed holder's slot");
        expireAllLeases();
        assertEquals(0, awaitActiveSlots(api, name, 0), "after its lease expired, no slot is held");
    }

    private static int awaitActiveSlots(Api api, String name, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int slots;
        do {
            slots = api.get("/v2/concurrency_limits/" + name, 200).get("active_slots").asInt();
            if (slots == expected) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return slots;
    }

    private static String run(Api api, String deploymentId) {
        return api.post("/deployments/" + deploymentId + "/create_flow_run", "{}", 201).get("id").asText();
    }

    private static JsonNode setState(Api api, String runId, String type) {
        return api.post("/flow_runs/" + runId + "/set_state", "{\"state\": {\"type\": \"" + type + "\"}}", 201);
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
