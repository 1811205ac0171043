package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flows.FlowService;
import org.openprefect.appliance.logs.LogService;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.taskruns.TaskRunService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A flow run: its state history, parameters, task runs, subflows and logs (tailed while it runs),
 * and the buttons that cancel, retry or resume it through the same orchestration as the API.
 */
final class RunPage {
    static final int MAX_ROWS = 200;
    private static final List<int[]> LEVELS = List.of(new int[] {0}, new int[] {10}, new int[] {20}, new int[] {30}, new int[] {40}, new int[] {50});

    /** One state of the run's history, oldest first, with how long the run stayed in it. */
    record StateEntry(String name, String stateClass, String time, String lasted, String message) {
    }

    /** One task run of the run. */
    record TaskRow(String id, String name, String stateName, String stateClass, String startTime, String duration) {
    }

    /** One log line. */
    record LogLine(String time, String level, int levelNumber, String message) {
    }

    /** One choice of the log level select. */
    record LevelChoice(int value, String label, boolean selected) {
    }

    /** The logs fragment: lines, the level filter, and whether the browser should keep polling it. */
    record Logs(String url, boolean live, List<LogLine> lines, List<LevelChoice> levels) {
    }

    /** The page. */
    record Model(String id, String name, String flowName, String flowHref, String deploymentName, String deploymentHref, String stateName,
                 String stateClass, String expectedStart, String startTime, String endTime, String duration, String tags, String workPool,
                 String parameters, List<StateEntry> states, List<TaskRow> taskRuns, List<RunRows.RunRow> subflows, boolean hasSubflows, Logs logs,
                 boolean canCancel, boolean canRetry, boolean canResume, String actionBase, String result) {
    }

    private final FlowRunService flowRuns;
    private final TaskRunService taskRuns;
    private final FlowService flows;
    private final DeploymentService deployments;
    private final LogService logs;
    private final RunRows rows;
    private final String base;

    RunPage(Sources s, RunRows rows, String base) {
        this.flowRuns = s.flowRuns();
        this.taskRuns = s.taskRuns();
        this.flows = s.flows();
        this.deployments = s.deployments();
        this.logs = s.logs();
        this.rows = rows;
        this.base = base;
    }

    Model model(UUID id, Query q) {
        ObjectNode run = flowRuns.read(id).toJson();
        String flowId = run.path("flow_id").asText();
        String deploymentId = Display.text(run.path("deployment_id"));
        String deploymentName = deploymentId.isEmpty() ? null : deployments.read(UUID.fromString(deploymentId)).name();
        StateType type = stateType(run);
        boolean terminal = type != null && type.isTerminal();
        List<StateEntry> states = timeline(flowRuns.statesOfRun(id));
        List<RunRows.RunRow> subflows = subflows(id);
        return new Model(id.toString(), run.path("name").asText(), flows.read(UUID.fromString(flowId)).name(), base + "/flows/flow/" + flowId,
                deploymentName, deploymentId.isEmpty() ? null : base + "/deployments/deployment/" + deploymentId,
                Display.text(run.path("state_name")), Display.stateClass(Display.text(run.path("state_type"))),
                Display.time(run.path("expected_start_time")), Display.time(run.path("start_time")), Display.time(run.path("end_time")),
                Display.duration(run.path("estimated_run_time").asDouble()), String.join(", ", Display.texts(run.path("tags"))),
                Display.text(run.path("work_pool_name")), Display.json(run.path("parameters")), states, taskRuns(id), subflows, !subflows.isEmpty(),
                logs(id, q, !terminal), type != null && !terminal && type != StateType.CANCELLING, terminal && !deploymentId.isEmpty(),
                type == StateType.PAUSED, base + "/runs/flow-run/" + id, q.text("result", null));
    }

    /** The logs fragment alone, for the live tail. */
    Logs logs(UUID id, Query q) {
        StateType type = stateType(flowRuns.read(id).toJson());
        return logs(id, q, type == null || !type.isTerminal());
    }

    /** {@code live}: the run has not finished, so the browser keeps polling the fragment. */
    private Logs logs(UUID id, Query q, boolean live) {
        int level = LEVELS.stream().mapToInt(l -> l[0]).filter(l -> String.valueOf(l).equals(q.text("level", "0"))).findFirst().orElse(0);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode filter = body.putObject("logs");
        filter.putObject("flow_run_id").putArray("any_").add(id.toString());
        filter.putObject("level").put("ge_", level);
        body.put("sort", "TIMESTAMP_DESC").put("limit", MAX_ROWS);
        List<LogLine> lines = new ArrayList<>(logs.filter(body).stream()
                .map(l -> new LogLine(Display.time(l.timestamp()), levelName(l.level()), l.level() / 10 * 10, l.message())).toList());
        Collections.reverse(lines);
        List<LevelChoice> levels = LEVELS.stream().map(l -> new LevelChoice(l[0], l[0] == 0 ? "All levels" : levelName(l[0]) + " and above",
                l[0] == level)).toList();
        return new Logs(base + "/runs/flow-run/" + id + "/logs?level=" + level, live, lines, levels);
    }

    /** The states with the time until the next one (the current one's until now, unless it is final). */
    private static List<StateEntry> timeline(List<ObjectNode> states) {
        List<StateEntry> out = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            JsonNode s = states.get(i);
            Instant at = Times.parse(s.path("timestamp").asText());
            boolean last = i == states.size() - 1;
            Instant until = last ? Times.now() : Times.parse(states.get(i + 1).path("timestamp").asText());
            boolean open = !last || !StateType.valueOf(s.path("type").asText()).isTerminal();
            out.add(new StateEntry(s.path("name").asText(), Display.stateClass(s.path("type").asText()), Display.time(at),
                    open ? Display.duration(Math.max(0, Times.seconds(at, until))) : null, Display.text(s.path("message"))));
        }
        return out;
    }

    private List<TaskRow> taskRuns(UUID id) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("task_runs").putObject("flow_run_id").putArray("any_").add(id.toString());
        body.put("sort", "EXPECTED_START_TIME_ASC").put("limit", MAX_ROWS);
        return taskRuns.listings().filter(body).stream().map(t -> new TaskRow(t.path("id").asText(), t.path("name").asText(),
                Display.text(t.path("state_name")), Display.stateClass(Display.text(t.path("state_type"))), Display.time(t.path("start_time")),
                Display.duration(t.path("estimated_run_time").asDouble()))).toList();
    }

    private List<RunRows.RunRow> subflows(UUID id) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("flow_runs").putObject("parent_flow_run_id").putArray("any_").add(id.toString());
        body.put("sort", "EXPECTED_START_TIME_ASC").put("limit", MAX_ROWS);
        return rows.rows(flowRuns.listings().filter(body));
    }

    private static StateType stateType(JsonNode run) {
        String type = Display.text(run.path("state_type"));
        return type.isEmpty() ? null : StateType.valueOf(type);
    }

    static String levelName(int level) {
        if (level >= 50) {
            return "CRITICAL";
        }
        if (level >= 40) {
            return "ERROR";
        }
        if (level >= 30) {
            return "WARNING";
        }
        if (level >= 20) {
            return "INFO";
        }
        return level >= 10 ? "DEBUG" : "NOTSET";
    }
}
