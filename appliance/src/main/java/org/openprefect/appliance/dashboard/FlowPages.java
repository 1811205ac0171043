package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flows.Flow;
import org.openprefect.appliance.flows.FlowService;

import java.util.List;
import java.util.UUID;

/** The flows list (with each flow's number of deployments) and a flow's page (its deployments and latest runs). */
final class FlowPages {
    static final int PAGE_SIZE = 50;

    /** A flow of the list. */
    record FlowRow(String name, String href, String created, long deployments) {
    }

    /** A deployment of a flow. */
    record DeploymentLink(String name, String href, String status) {
    }

    /** The flows list. */
    record ListModel(String search, List<FlowRow> flows, long count, Paginated.Pager pager) {
    }

    /** A flow. */
    record FlowModel(String id, String name, String created, String tags, List<DeploymentLink> deployments, List<RunRows.RunRow> runs,
                     String runsHref) {
    }

    private final FlowService flows;
    private final FlowRunService flowRuns;
    private final DeploymentService deployments;
    private final RunRows rows;
    private final String base;

    FlowPages(Sources s, RunRows rows, String base) {
        this.flows = s.flows();
        this.flowRuns = s.flowRuns();
        this.deployments = s.deployments();
        this.rows = rows;
        this.base = base;
    }

    ListModel list(Query q) {
        Paginated found = Paginated.of(flows.listings(), Paginated.byName("flows", q, PAGE_SIZE), q, base + "/flows");
        List<UUID> ids = found.results().stream().map(f -> UUID.fromString(f.path("id").asText())).toList();
        JsonNode counts = ids.isEmpty() ? Json.MAPPER.createObjectNode() : deployments.countByFlow(ids);
        return new ListModel(q.text("name", ""), found.results().stream().map(f -> new FlowRow(f.path("name").asText(),
                base + "/flows/flow/" + f.path("id").asText(), Display.time(f.path("created")), counts.path(f.path("id").asText()).asLong())).toList(),
                found.count(), found.pager());
    }

    FlowModel flow(UUID id) {
        Flow flow = flows.read(id);
        ObjectNode byFlow = Json.MAPPER.createObjectNode();
        byFlow.putObject("flows").putObject("id").putArray("any_").add(id.toString());
        byFlow.put("sort", "NAME_ASC").put("limit", PAGE_SIZE);
        List<DeploymentLink> deps = deployments.listings().filter(byFlow).stream().map(d -> new DeploymentLink(d.path("name").asText(),
                base + "/deployments/deployment/" + d.path("id").asText(), d.path("paused").asBoolean() ? "Paused" : Display.text(d.path("status")))).toList();
        ObjectNode runs = byFlow.deepCopy();
        runs.put("sort", "EXPECTED_START_TIME_DESC").put("limit", 20);
        return new FlowModel(id.toString(), flow.name(), Display.time(flow.created()), String.join(", ", flow.tags()), deps,
                rows.rows(flowRuns.listings().filter(runs)), base + "/runs?flow=" + Links.query(flow.name()));
    }
}
