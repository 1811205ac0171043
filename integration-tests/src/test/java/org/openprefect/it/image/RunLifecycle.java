package org.openprefect.it.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.it.support.Api;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A flow run driven through its lifecycle over HTTP, as the client does: created, running, completed. */
final class RunLifecycle {
    private RunLifecycle() {
    }

    /** Returns the completed flow run's id. */
    static String complete(Api api) {
        String flowId = api.post("/flows/", "{\"name\":\"appliance-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        String runId = api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"PENDING\"}}", 201).get("id").asText();
        JsonNode running = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        assertEquals("ACCEPT", running.get("status").asText(), running::toString);
        JsonNode completed = api.post("/flow_runs/" + runId + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
        assertEquals("ACCEPT", completed.get("status").asText(), completed::toString);
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText());
        return runId;
    }
}
