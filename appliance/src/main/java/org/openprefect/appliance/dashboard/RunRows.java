package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.flows.FlowService;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Flow runs as table rows, with their flows' names looked up in one query per table. */
final class RunRows {
    /** One flow run as a row of a runs table. */
    record RunRow(String id, String name, String href, String flowName, String flowHref, String stateType, String stateName,
                  String stateClass, String expectedStart, String startTime, String duration, String tags) {
    }

    /** Flow names by flow id, for a table's rows. */
    record FlowNames(Map<String, String> byId) {
        String of(String flowId) {
            return byId.getOrDefault(flowId, flowId);
        }
    }

    private final FlowService flows;
    private final String base;

    RunRows(FlowService flows, String base) {
        this.flows = flows;
        this.base = base;
    }

    List<RunRow> rows(List<ObjectNode> runs) {
        FlowNames names = flowNames(runs);
        return runs.stream().map(run -> row(run, names)).toList();
    }

    private RunRow row(JsonNode run, FlowNames flowNames) {
        String id = run.path("id").asText();
        String flowId = run.path("flow_id").asText();
        String stateType = Display.text(run.path("state_type"));
        boolean started = !Display.text(run.path("start_time")).isEmpty();
        return new RunRow(id, run.path("name").asText(), base + "/runs/flow-run/" + id, flowNames.of(flowId),
                base + "/flows/flow/" + flowId, stateType, Display.text(run.path("state_name")), Display.stateClass(stateType),
                Display.time(run.path("expected_start_time")), Display.time(run.path("start_time")),
                started ? Display.duration(run.path("estimated_run_time").asDouble()) : Display.NONE, String.join(", ", Display.texts(run.path("tags"))));
    }

    /** The names of the flows that documents with a {@code flow_id} (runs, deployments) name. */
    FlowNames flowNames(List<ObjectNode> documents) {
        Map<String, String> names = new HashMap<>();
        List<String> ids = documents.stream().map(r -> r.path("flow_id").asText()).distinct().toList();
        if (ids.isEmpty()) {
            return new FlowNames(names);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ids.forEach(body.putObject("flows").putObject("id").putArray("any_")::add);
        body.put("limit", ids.size());
        flows.listings().filter(body).forEach(f -> names.put(f.path("id").asText(), f.path("name").asText()));
        return new FlowNames(names);
    }
}
