package org.openprefect.it.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.it.support.Api;

import java.time.Instant;

/** What an operator's server holds after a while, made through the API as the client and CLI would. */
final class DashboardSeed {
    /** The markup a user could put in their data; every page must show it as text. */
    static final String MARKUP = "<img src=x onerror=\"document.title='pwned'\">";
    static final String SECRET = "s3cr3t-never-on-a-page";

    final String flowId;
    final String runningRunId;
    final String failedRunId;
    final String deploymentId;

    private DashboardSeed(String flowId, String runningRunId, String failedRunId, String deploymentId) {
        this.flowId = flowId;
        this.runningRunId = runningRunId;
        this.failedRunId = failedRunId;
        this.deploymentId = deploymentId;
    }

    static DashboardSeed create(Api api, int completedRuns) {
        String flow = api.post("/flows/", "{\"name\":\"etl-nightly\"}", 201).get("id").asText();
        String other = api.post("/flows/", "{\"name\":\"report-weekly\"}", 201).get("id").asText();
        String running = run(api, flow, "brave-otter", "RUNNING", "{\"day\":\"2026-12-06\",\"note\":" + quote(MARKUP) + "}");
        api.post("/task_runs/", "{\"flow_run_id\":\"" + running + "\",\"task_key\":\"extract\",\"dynamic_key\":\"0\",\"name\":\"extract-0\","
                + "\"state\":{\"type\":\"COMPLETED\"}}", 201);
        log(api, running, 20, "Beginning flow run " + MARKUP);
        String failed = run(api, flow, "sad-panda", "FAILED", "{}");
        for (int i = 0; i < completedRuns; i++) {
            run(api, i % 2 == 0 ? flow : other, "done-" + i, "COMPLETED", "{}");
        }
        api.post("/work_pools/", "{\"name\":\"process pool\",\"type\":\"process\"}", 201);
        String deployment = api.post("/deployments/", "{\"name\":\"daily\",\"flow_id\":\"" + flow + "\",\"work_pool_name\":\"process pool\","
                + "\"parameters\":{\"day\":\"today\"},\"parameter_openapi_schema\":{\"type\":\"object\",\"properties\":{\"day\":{\"type\":\"string\"}}},"
                + "\"schedules\":[{\"schedule\":{\"interval\":3600}}]}", 201).get("id").asText();
        api.post("/variables/", "{\"name\":\"region\",\"value\":\"eu-west-1\",\"tags\":[\"infra\"]}", 201);
        api.post("/artifacts/", "{\"key\":\"report\",\"type\":\"markdown\",\"data\":" + quote("# Nightly report\n\n*all good* " + MARKUP)
                + ",\"flow_run_id\":\"" + running + "\"}", 201);
        api.post("/artifacts/", "{\"key\":\"numbers\",\"type\":\"table\",\"data\":" + quote("[{\"rows\": 10, \"table\": \"orders\"}]") + "}", 201);
        api.post("/v2/concurrency_limits/", "{\"name\":\"database\",\"limit\":5}", 201);
        api.post("/concurrency_limits/", "{\"tag\":\"io\",\"concurrency_limit\":3}", 201);
        JsonNode secretType = api.get("/block_types/slug/secret", 200);
        JsonNode schema = api.post("/block_schemas/filter", "{\"block_schemas\":{\"block_type_id\":{\"any_\":[\"" + secretType.get("id").asText()
                + "\"]}}}", 200).get(0);
        api.post("/block_documents/", "{\"name\":\"warehouse-password\",\"block_type_id\":\"" + secretType.get("id").asText()
                + "\",\"block_schema_id\":\"" + schema.get("id").asText() + "\",\"data\":{\"value\":\"" + SECRET + "\"}}", 201);
        return new DashboardSeed(flow, running, failed, deployment);
    }

    static String run(Api api, String flowId, String name, String state, String parameters) {
        return api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"name\":\"" + name + "\",\"parameters\":" + parameters
                + ",\"tags\":[\"nightly\"],\"state\":{\"type\":\"" + state + "\"}}", 201).get("id").asText();
    }

    static void log(Api api, String runId, int level, String message) {
        api.post("/logs/", "[{\"name\":\"prefect.flow_runs\",\"level\":" + level + ",\"message\":" + quote(message) + ",\"timestamp\":\""
                + Instant.now() + "\",\"flow_run_id\":\"" + runId + "\"}]", 201);
    }

    static String quote(String text) {
        return Api.JSON.getNodeFactory().textNode(text).toString();
    }
}
