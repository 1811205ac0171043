package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.RunningServer;

import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The listings behind the 3.4 CLI's {@code ls} commands ({@code block ls}, {@code block type ls},
 * {@code variable ls}, {@code artifact ls [--all]}, {@code concurrency-limit ls}, {@code gcl ls},
 * {@code deployment ls}, {@code work-pool ls}, {@code work-queue ls}, {@code flow-run ls}): the
 * request bodies the CLI sent in the traces (flow-run ls: as its code builds them), answered 200
 * with items of the fields upstream answered, so the CLI's tables fill as they do against upstream.
 */
abstract class CliListingContract {
    abstract RunningServer server() throws Exception;

    @Test
    void theCliListingsAnswerWithUpstreamsFields() throws Exception {
        Api api = new Api(server().api(""));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String flowId = api.post("/flows/", "{\"name\": \"cli-flow-" + suffix + "\"}", 201).get("id").asText();
        api.post("/flow_runs/", "{\"flow_id\": \"" + flowId + "\", \"state\": {\"type\": \"RUNNING\", \"name\": \"Running\"}}", 201);
        api.post("/deployments/", "{\"name\": \"cli-dep-" + suffix + "\", \"flow_id\": \"" + flowId + "\"}", 201);
        api.post("/work_pools/", "{\"name\": \"cli-pool-" + suffix + "\", \"type\": \"process\"}", 201);
        api.post("/concurrency_limits/", "{\"tag\": \"cli-" + suffix + "\", \"concurrency_limit\": 1}", 201);
        api.post("/v2/concurrency_limits/", "{\"name\": \"cli-" + suffix + "\", \"limit\": 2}", 201);
        api.post("/variables/", "{\"name\": \"cli_" + suffix + "\", \"value\": \"v\"}", 201);
        api.post("/artifacts/", "{\"key\": \"cli-" + suffix + "\", \"type\": \"markdown\", \"data\": \"# x\"}", 201);
        JsonNode json = api.get("/block_types/slug/json", 200);
        JsonNode schema = api.post("/block_schemas/filter", "{\"block_schemas\": {\"block_type_id\": {\"any_\": [\"" + json.get("id").asText()
                + "\"]}}, \"limit\": 1}", 200).get(0);
        api.post("/block_documents/", "{\"name\": \"cli-" + suffix + "\", \"data\": {\"value\": 1}, \"block_schema_id\": \"" + schema.get("id").asText()
                + "\", \"block_type_id\": \"" + json.get("id").asText() + "\"}", 201);

        listing(api, "/block_documents/filter", "{\"block_schema_type\": null, \"offset\": null, \"limit\": null, \"include_secrets\": true}",
                "block_document_references block_schema block_schema_id block_type block_type_id block_type_name created data id is_anonymous name updated");
        listing(api, "/block_types/filter", "{}", "code_example created description documentation_url id is_protected logo_url name slug updated");
        listing(api, "/variables/filter", "{\"limit\": 100}", "created id name tags updated value");
        listing(api, "/artifacts/latest/filter", "{\"artifacts\": null, \"flow_runs\": null, \"task_runs\": null, \"limit\": 100, \"offset\": 0, "
                + "\"sort\": \"KEY_ASC\"}", "created data description flow_run_id id key latest_id metadata_ task_run_id type updated");
        listing(api, "/artifacts/filter", "{\"artifacts\": null, \"flow_runs\": null, \"task_runs\": null, \"limit\": 100, \"offset\": 0, "
                + "\"sort\": \"KEY_ASC\"}", "created data description flow_run_id id key metadata_ task_run_id type updated");
        listing(api, "/concurrency_limits/filter", "{\"limit\": 15, \"offset\": 0}", "active_slots concurrency_limit created id tag updated");
        listing(api, "/v2/concurrency_limits/filter", "{\"limit\": 100, \"offset\": 0}",
                "active active_slots created id limit name slot_decay_per_second updated");
        listing(api, "/deployments/filter", "{\"flows\": null, \"flow_runs\": null, \"task_runs\": null, \"deployments\": null, \"work_pools\": null, "
                + "\"work_pool_queues\": null, \"limit\": null, \"offset\": 0, \"sort\": null}", "concurrency_limit concurrency_options created "
                + "created_by description enforce_parameter_schema entrypoint flow_id global_concurrency_limit id infrastructure_document_id "
                + "job_variables labels last_polled name parameter_openapi_schema parameters path paused pull_steps schedules status "
                + "storage_document_id tags updated updated_by version work_pool_name work_queue_name");
        listing(api, "/flows/filter", "{\"flows\": {\"operator\": \"and_\", \"id\": {\"any_\": [\"" + flowId + "\"]}, \"name\": null, \"tags\": null}, "
                + "\"flow_runs\": null, \"task_runs\": null, \"deployments\": null, \"work_pools\": null, \"work_queues\": null, \"sort\": null, "
                + "\"limit\": null, \"offset\": 0}", "created id labels name tags updated");
        listing(api, "/work_pools/filter", "{\"limit\": null, \"offset\": 0, \"work_pools\": null}", "base_job_template concurrency_limit created "
                + "default_queue_id description id is_paused name status storage_configuration type updated");
        listing(api, "/work_pools/cli-pool-" + suffix + "/queues/filter", "{\"work_queues\": null, \"limit\": null, \"offset\": null}",
                "concurrency_limit created description filter id is_paused last_polled name priority status updated work_pool_id work_pool_name");
        // flow-run ls --state Running --state-type RUNNING, as prefect/cli/flow_run.py builds it.
        JsonNode runs = listing(api, "/flow_runs/filter", "{\"flows\": null, \"flow_runs\": {\"state\": {\"name\": {\"any_\": [\"Running\"]}, "
                + "\"type\": {\"any_\": [\"RUNNING\"]}}}, \"task_runs\": null, \"deployments\": null, \"work_pools\": null, \"work_pool_queues\": null, "
                + "\"sort\": \"EXPECTED_START_TIME_DESC\", \"limit\": 15, \"offset\": 0}", null);
        assertEquals("RUNNING", runs.get(0).get("state_type").asText());
    }

    /** POSTs a recorded CLI body; the answer is a non-empty list whose first item has exactly {@code fields} (space-separated, sorted). */
    private static JsonNode listing(Api api, String path, String body, String fields) {
        JsonNode items = api.post(path, body, 200);
        assertFalse(items.isEmpty(), path + " listed nothing");
        if (fields != null) {
            TreeSet<String> names = new TreeSet<>();
            Iterator<String> it = items.get(0).fieldNames();
            it.forEachRemaining(names::add);
            assertEquals(List.of(fields.split(" ")), List.copyOf(names), path);
        }
        return items;
    }
}
