package org.openprefect.it.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
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
 * What the UI's own routes count and draw, on seeded runs: task runs per flow run (a subflow's
 * parent task not counted), counts by state, the dashboard's buckets, the scatter plot's runs,
 * each flow's next run and deployments, the run graph's nodes and edges; and automations, which
 * the UI lists and edits. One subclass per database.
 */
abstract class UiViewsContract {
    abstract RunningServer server() throws Exception;

    private String taskRun(Api api, String flowRun, String name, String inputs) {
        String id = api.post("/task_runs/", "{\"flow_run_id\": \"" + flowRun + "\", \"task_key\": \"" + name + "\", \"dynamic_key\": \"0\", \"name\": \""
                + name + "\", \"task_inputs\": " + inputs + ", \"state\": {\"type\": \"RUNNING\", \"name\": \"Running\"}}", 201).get("id").asText();
        api.post("/task_runs/" + id + "/set_state", "{\"state\": {\"type\": \"COMPLETED\", \"name\": \"Completed\"}}", 201);
        return id;
    }

    @Test
    void theUiViewsCountAndDrawWhatWasRun() throws Exception {
        Api api = new Api(server().api(""));
        String flowName = "ui-flow-" + UUID.randomUUID().toString().substring(0, 8);
        String flow = api.post("/flows/", "{\"name\": \"" + flowName + "\"}", 201).get("id").asText();
        String run = api.post("/flow_runs/", "{\"flow_id\": \"" + flow + "\", \"state\": {\"type\": \"RUNNING\", \"name\": \"Running\"}}", 201)
                .get("id").asText();
        String first = taskRun(api, run, "first", "{}");
        String second = taskRun(api, run, "second", "{\"x\": [{\"input_type\": \"task_run\", \"id\": \"" + first + "\"}]}");
        String wrapped = taskRun(api, run, "wrapped", "{\"__parents__\": [{\"input_type\": \"task_run\", \"id\": \"" + first + "\"}]}");
        String parentTask = taskRun(api, run, "subflow-task", "{}");
        String child = api.post("/flow_runs/", "{\"flow_id\": \"" + flow + "\", \"name\": \"child\", \"parent_task_run_id\": \"" + parentTask
                + "\", \"state\": {\"type\": \"RUNNING\", \"name\": \"Running\"}}", 201).get("id").asText();
        api.post("/artifacts/", "{\"key\": \"ui-progress-" + flow.substring(0, 8) + "\", \"type\": \"progress\", \"data\": 40.0, \"flow_run_id\": \""
                + run + "\", \"task_run_id\": \"" + first + "\"}", 201);
        String later = "{\"type\": \"SCHEDULED\", \"name\": \"Scheduled\", \"state_details\": {\"scheduled_time\": \"2099-01-01T00:00:00Z\"}}";
        String scheduled = api.post("/flow_runs/", "{\"flow_id\": \"" + flow + "\", \"name\": \"soonest\", \"state\": " + later + "}", 201)
                .get("id").asText();
        String idle = api.post("/flows/", "{\"name\": \"" + flowName + "-idle\"}", 201).get("id").asText();
        api.post("/deployments/", "{\"name\": \"ui-dep\", \"flow_id\": \"" + flow + "\"}", 201);

        assertEquals("{\"" + run + "\":3,\"" + child + "\":0}",
                api.post("/ui/flow_runs/count-task-runs", "{\"flow_run_ids\": [\"" + run + "\", \"" + child + "\"]}", 200).toString(),
                "the subflow's parent task is not counted");
        assertEquals(422, api.post("/ui/flow_runs/count-task-runs", "{}").status());
        JsonNode next = api.post("/ui/flows/next-runs", "{\"flow_ids\": [\"" + flow + "\", \"" + idle + "\"]}", 200);
        assertEquals(scheduled, next.at("/" + flow + "/id").asText());
        assertEquals("2099-01-01T00:00:00Z", next.at("/" + flow + "/next_scheduled_start_time").asText());
        assertTrue(next.get(idle).isNull());
        assertEquals("{\"" + flow + "\":1,\"" + idle + "\":0}",
                api.post("/ui/flows/count-deployments", "{\"flow_ids\": [\"" + flow + "\", \"" + idle + "\"]}", 200).toString());

        String byRun = "{\"flow_runs\": {\"id\": {\"any_\": [\"" + run + "\"]}}";
        JsonNode counts = api.post("/ui/task_runs/count", byRun + "}", 200);
        assertEquals(List.of("COMPLETED", "PENDING", "RUNNING", "FAILED", "CANCELLED", "CRASHED", "PAUSED", "CANCELLING", "SCHEDULED"), names(counts));
        assertEquals(4, counts.get("COMPLETED").asInt() + counts.get("RUNNING").asInt());
        JsonNode buckets = api.post("/ui/task_runs/dashboard/counts", byRun + ", \"task_runs\": {\"start_time\": {\"after_\": \""
                + Instant.now().minusSeconds(3600) + "\"}}}", 200);
        assertEquals(20, buckets.size());
        int completed = 0;
        for (JsonNode b : buckets) {
            completed += b.get("completed").asInt();
        }
        assertEquals(counts.get("COMPLETED").asInt(), completed, "every completed task run of the window lands in a bucket");
        assertEquals("{\"detail\":\"task_runs.start_time.after_ is required\"}",
                api.post("/ui/task_runs/dashboard/counts", byRun + ", \"task_runs\": {}}").raw());

        JsonNode history = api.post("/ui/flow_runs/history", byRun + "}", 200);
        assertEquals(run, history.at("/0/id").asText());
        assertEquals(List.of("id", "state_type", "timestamp", "duration", "lateness"), names(history.get(0)));
        assertEquals(422, api.post("/ui/flow_runs/history", "{\"limit\": 1001}").status());

        JsonNode graph = api.get("/flow_runs/" + run + "/graph-v2", 200);
        assertResponse("GET", "/flow_runs/{id}/graph-v2", 200, graph);
        JsonNode firstNode = node(graph, first);
        assertEquals("[{\"id\":\"" + second + "\"}]", firstNode.get("children").toString());
        assertEquals("[{\"id\":\"" + first + "\"}]", node(graph, second).get("parents").toString());
        assertEquals("[{\"id\":\"" + first + "\"}]", node(graph, wrapped).get("encapsulating").toString());
        assertEquals("flow-run", node(graph, child).get("kind").asText(), "a subflow's parent task is drawn as the subflow");
        assertEquals(flowName + " / child", node(graph, child).get("label").asText());
        assertEquals(40.0, firstNode.at("/artifacts/0/data").asDouble(), "progress artifacts carry their data");
        List<String> roots = new ArrayList<>();
        graph.get("root_node_ids").forEach(r -> roots.add(r.asText()));
        assertTrue(roots.contains(first) && !roots.contains(second), roots.toString());
        assertEquals("RUNNING", graph.at("/states/0/type").asText());
        HttpResponse<String> missing = Http.get(server().api("/flow_runs/" + UUID.randomUUID() + "/graph-v2"));
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().startsWith("{\"exception_message\":\"Flow run "), missing.body());

        String pool = "ui-pool-" + flow.substring(0, 8);
        api.post("/work_pools/", "{\"name\": \"" + pool + "\", \"type\": \"process\"}", 201);
        String pooled = api.post("/flow_runs/", "{\"flow_id\": \"" + flow + "\", \"work_pool_name\": \"" + pool + "\"}", 201).get("id").asText();
        JsonNode inPool = api.post("/flow_runs/filter", "{\"work_pools\": {\"name\": {\"any_\": [\"" + pool + "\"]}}}", 200);
        assertEquals(1, inPool.size());
        assertEquals(pooled, inPool.at("/0/id").asText(), "the runs page's work-pool filter");
        assertEquals(1, api.post("/flow_runs/count", "{\"work_pools\": {\"name\": {\"any_\": [\"" + pool + "\"]}}, \"work_pool_queues\": "
                + "{\"name\": {\"any_\": [\"default\"]}}}", 200).asInt());
        assertEquals(0, api.post("/flow_runs/count", "{\"work_pools\": {\"name\": {\"any_\": [\"no-such-pool\"]}}}", 200).asInt());

        JsonNode task = api.get("/ui/task_runs/" + first, 200);
        assertEquals(api.get("/flow_runs/" + run, 200).get("name"), task.get("flow_run_name"));
    }

    @Test
    void automationsAreStoredListedEditedAndRelated() throws Exception {
        Api api = new Api(server().api(""));
        String name = "ui-automation-" + UUID.randomUUID().toString().substring(0, 8);
        String deployment = UUID.randomUUID().toString();
        String body = "{\"name\": \"" + name + "\", \"description\": \"d\", \"enabled\": true, \"trigger\": {\"type\": \"event\", \"id\": \""
                + UUID.randomUUID() + "\", \"match\": {\"prefect.resource.id\": \"prefect.flow-run.*\"}, \"expect\": [\"prefect.flow-run.Failed\"], "
                + "\"posture\": \"Reactive\", \"threshold\": 1, \"within\": 0}, \"actions\": [{\"type\": \"run-deployment\", \"source\": \"selected\", "
                + "\"deployment_id\": \"" + deployment + "\"}], \"owner_resource\": \"prefect.deployment.owner-" + name + "\"}";
        JsonNode created = api.post("/automations/", body, 201);
        assertResponse("POST", "/automations/", 201, created);
        assertEquals(List.of("type", "id", "match", "match_related", "after", "expect", "for_each", "posture", "threshold", "within"),
                names(created.get("trigger")));
        assertTrue(created.at("/trigger/within").isDouble(), "a timedelta, written as float seconds");

        String id = created.get("id").asText();
        assertEquals(id, api.get("/automations/related-to/prefect.deployment." + deployment, 200).at("/0/id").asText());
        JsonNode listed = api.post("/automations/filter", "{\"automations\": {\"name\": {\"any_\": [\"" + name + "\"]}}}", 200);
        assertResponse("POST", "/automations/filter", 200, listed);
        assertEquals(1, listed.size());
        assertEquals(204, api.patch("/automations/" + id, "{\"enabled\": false}").status());
        assertTrue(!api.get("/automations/" + id, 200).get("enabled").asBoolean());
        HttpResponse<String> replaced = Http.method("PUT", server().api("/automations/" + id), body.replace("\"d\"", "\"changed\"")
                .replace(", \"owner_resource\": \"prefect.deployment.owner-" + name + "\"", ""), "Content-Type", "application/json");
        assertEquals(204, replaced.statusCode(), replaced.body());
        assertEquals("changed", api.get("/automations/" + id, 200).get("description").asText());
        assertTrue(api.post("/automations/count", "{}", 200).asInt() >= 1);
        assertEquals(202, api.delete("/automations/owned-by/prefect.deployment.owner-" + name).status());
        assertEquals("{\"exception_message\":\"Automation not found\"}", api.get("/automations/" + id).raw(), "its owner's delete took it");
        assertEquals(404, api.delete("/automations/" + id).status());
        assertEquals(422, api.post("/automations/", "{\"name\": \"x\"}").status());
    }

    /** The run-deployment form's check: errors nested by property and index, in Python jsonschema's words; prefect kinds hydrated. */
    @Test
    void theRunFormValuesAreCheckedAsUpstreamChecksThem() throws Exception {
        Api api = new Api(server().api(""));
        String variable = "ui_region_" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/variables/", "{\"name\": \"" + variable + "\", \"value\": \"eu-central\"}", 201);
        String schema = "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"n\": {\"type\": \"integer\", "
                + "\"minimum\": 1}, \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"region\": {\"type\": \"string\"}, "
                + "\"greeting\": {\"type\": \"integer\"}}, \"required\": [\"name\", \"n\"]}";
        JsonNode invalid = api.post("/ui/schemas/validate", "{\"schema\": " + schema + ", \"values\": {\"n\": 0, \"tags\": [\"a\", 3], "
                + "\"region\": {\"__prefect_kind\": \"workspace_variable\", \"variable_name\": \"" + variable + "\"}, "
                + "\"greeting\": {\"__prefect_kind\": \"jinja\", \"template\": \"{{ flow_run.name }}\"}}}", 200);
        assertEquals("{\"errors\":[{\"property\":\"n\",\"errors\":[\"0 is less than the minimum of 1\"]},{\"property\":\"name\",\"errors\":"
                + "[\"'name' is a required property\"]},{\"property\":\"tags\",\"errors\":[{\"index\":1,\"errors\":[\"3 is not of type 'string'\"]}]}],"
                + "\"valid\":false}", sortedErrors(invalid).toString(), "the variable and the unrendered template pass");
        JsonNode missingVariable = api.post("/ui/schemas/validate", "{\"schema\": " + schema + ", \"values\": {\"name\": \"x\", \"n\": 2, "
                + "\"region\": {\"__prefect_kind\": \"workspace_variable\", \"variable_name\": \"no_such_variable\"}}}", 200);
        assertEquals("{\"errors\":[{\"property\":\"region\",\"errors\":[\"Variable 'no_such_variable' not found in workspace.\"]}],"
                + "\"valid\":false}", missingVariable.toString());
        assertEquals("{\"errors\":[],\"valid\":true}", api.post("/ui/schemas/validate", "{\"schema\": " + schema + ", \"values\": "
                + "{\"name\": \"x\", \"n\": {\"__prefect_kind\": \"json\", \"value\": \"3\"}}}", 200).toString());
        assertEquals(422, api.post("/ui/schemas/validate", "{\"values\": {}}").status());
    }

    private static JsonNode sortedErrors(JsonNode answer) {
        List<JsonNode> errors = new ArrayList<>();
        answer.get("errors").forEach(errors::add);
        errors.sort((a, b) -> a.path("property").asText().compareTo(b.path("property").asText()));
        ObjectNode sorted = Api.JSON.createObjectNode();
        errors.forEach(sorted.putArray("errors")::add);
        sorted.set("valid", answer.get("valid"));
        return sorted;
    }

    private static JsonNode node(JsonNode graph, String id) {
        for (JsonNode pair : graph.get("nodes")) {
            if (pair.get(0).asText().equals(id)) {
                return pair.get(1);
            }
        }
        throw new AssertionError("no node " + id + " in " + graph);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
