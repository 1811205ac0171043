package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.InvalidInputException;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flows.FlowService;

import java.util.List;
import java.util.UUID;

/**
 * The deployments list and a deployment's page: schedules, next runs, "run now" with parameters,
 * pause and resume, all through the deployment service the API uses.
 */
final class DeploymentPages {
    static final int PAGE_SIZE = 50;

    /** A deployment of the list. */
    record DeploymentRow(String name, String href, String flowName, String flowHref, String status, String statusClass, String workPool) {
    }

    /** The list. */
    record ListModel(String search, List<DeploymentRow> deployments, long count, Paginated.Pager pager) {
    }

    /** One schedule of a deployment. */
    record ScheduleRow(String description, boolean active) {
    }

    /** A deployment. */
    record Model(String id, String name, String flowName, String flowHref, String description, String status, String statusClass,
                 boolean paused, String workPool, String workQueue, String tags, List<ScheduleRow> schedules, List<RunRows.RunRow> nextRuns,
                 List<RunRows.RunRow> recentRuns, String parameters, String actionBase, String result) {
    }

    private final DeploymentService deployments;
    private final FlowService flows;
    private final FlowRunService flowRuns;
    private final RunRows rows;
    private final String base;

    DeploymentPages(Sources s, RunRows rows, String base) {
        this.deployments = s.deployments();
        this.flows = s.flows();
        this.flowRuns = s.flowRuns();
        this.rows = rows;
        this.base = base;
    }

    ListModel list(Query q) {
        Paginated found = Paginated.of(deployments.listings(), Paginated.byName("deployments", q, PAGE_SIZE), q, base + "/deployments");
        RunRows.FlowNames names = rows.flowNames(found.results());
        return new ListModel(q.text("name", ""), found.results().stream().map(d -> {
            String status = status(d);
            return new DeploymentRow(d.path("name").asText(), base + "/deployments/deployment/" + d.path("id").asText(),
                    names.of(d.path("flow_id").asText()), base + "/flows/flow/" + d.path("flow_id").asText(), status, Display.statusClass(status),
                    Display.text(d.path("work_pool_name")));
        }).toList(), found.count(), found.pager());
    }

    Model deployment(UUID id, Query q) {
        ObjectNode d = deployments.read(id).toJson();
        String flowId = d.path("flow_id").asText();
        String status = status(d);
        List<ScheduleRow> schedules = deployments.schedules(id).stream().map(s -> s.toJson())
                .map(s -> new ScheduleRow(describe(s.path("schedule")), s.path("active").asBoolean())).toList();
        ObjectNode next = Json.MAPPER.createObjectNode();
        next.putObject("deployments").putObject("id").putArray("any_").add(id.toString());
        next.putObject("flow_runs").putObject("state").putObject("type").putArray("any_").add("SCHEDULED");
        next.put("sort", "EXPECTED_START_TIME_ASC").put("limit", 10);
        ObjectNode recent = Json.MAPPER.createObjectNode();
        recent.putObject("deployments").putObject("id").putArray("any_").add(id.toString());
        recent.put("sort", "EXPECTED_START_TIME_DESC").put("limit", 10);
        return new Model(id.toString(), d.path("name").asText(), flows.read(UUID.fromString(flowId)).name(), base + "/flows/flow/" + flowId,
                Display.text(d.path("description")), status, Display.statusClass(status), d.path("paused").asBoolean(), Display.text(d.path("work_pool_name")),
                Display.text(d.path("work_queue_name")), String.join(", ", Display.texts(d.path("tags"))), schedules,
                rows.rows(flowRuns.listings().filter(next)), rows.rows(flowRuns.listings().filter(recent)), Display.json(d.path("parameters")),
                base + "/deployments/deployment/" + id, q.text("result", null));
    }

    /** "Run now": a flow run of the deployment with the form's parameters (a JSON object), as the API's create_flow_run. */
    UUID runNow(UUID id, String parametersJson) {
        JsonNode parameters;
        try {
            parameters = parametersJson == null || parametersJson.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(parametersJson);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Parameters must be a JSON object: " + e.getOriginalMessage());
        }
        if (!parameters.isObject()) {
            throw new InvalidInputException("Parameters must be a JSON object.");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("parameters", parameters);
        return deployments.createFlowRun(id, body).run().id();
    }

    void pause(UUID id) {
        deployments.pause(id);
    }

    void resume(UUID id) {
        deployments.resume(id);
    }

    private static String status(JsonNode d) {
        return d.path("paused").asBoolean() ? "PAUSED" : Display.text(d.path("status")).isEmpty() ? "UNKNOWN" : d.path("status").asText();
    }

    /** A schedule in words: its interval, cron or rrule, and its time zone. */
    static String describe(JsonNode schedule) {
        String zone = Display.text(schedule.path("timezone"));
        String suffix = zone.isEmpty() ? "" : " (" + zone + ")";
        if (schedule.has("interval")) {
            return "Every " + Display.duration(schedule.path("interval").asDouble()) + suffix;
        }
        if (schedule.has("cron")) {
            return "Cron " + schedule.path("cron").asText() + suffix;
        }
        if (schedule.has("rrule")) {
            return "RRule " + schedule.path("rrule").asText() + suffix;
        }
        return schedule.toString();
    }
}
