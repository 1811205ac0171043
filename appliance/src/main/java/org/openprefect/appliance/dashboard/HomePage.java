package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.events.EventService;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.workpools.WorkPoolService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard: runs by state over the chosen window (one aggregated history query), late and
 * failed runs, work pool health and the latest events.
 */
final class HomePage {
    private static final int BARS = 24;
    private static final int LISTED = 10;

    /** The number of runs in one state type. */
    record StateCount(String label, long count, String stateClass, String href) {
    }

    /** A work pool and its health. */
    record PoolRow(String name, String href, String type, String status, String statusClass) {
    }

    /** One event of the activity list. */
    record EventRow(String occurred, String event, String resource) {
    }

    /** The page. */
    record Model(List<Windows.Window> windows, String windowLabel, List<StateCount> counts, long total, String chart, String chartFrom, String chartTo,
                 List<RunRows.RunRow> late, List<RunRows.RunRow> failed, List<PoolRow> pools, List<EventRow> events) {
    }

    private final FlowRunService flowRuns;
    private final WorkPoolService workPools;
    private final EventService events;
    private final RunRows rows;
    private final String base;

    HomePage(Sources s, RunRows rows, String base) {
        this.flowRuns = s.flowRuns();
        this.workPools = s.workPools();
        this.events = s.events();
        this.rows = rows;
        this.base = base;
    }

    Model model(Query q) {
        Windows.Window window = Windows.chosen(q.text("window", "24h"), "24h");
        Instant end = Times.now();
        Instant start = end.minus(window.span());
        ObjectNode history = Json.MAPPER.createObjectNode().put("history_start", Times.iso(start)).put("history_end", Times.iso(end))
                .put("history_interval_seconds", window.span().toSeconds() / (double) BARS);
        JsonNode buckets = flowRuns.stateCounts(history);
        Map<String, Long> byType = new LinkedHashMap<>();
        for (String t : List.of("COMPLETED", "RUNNING", "SCHEDULED", "PENDING", "FAILED", "CRASHED", "CANCELLED", "PAUSED")) {
            byType.put(t, 0L);
        }
        long total = 0;
        for (JsonNode b : buckets) {
            for (JsonNode s : b.path("states")) {
                byType.merge(s.path("state_type").asText(), s.path("count_runs").asLong(), Long::sum);
                total += s.path("count_runs").asLong();
            }
        }
        List<StateCount> counts = new ArrayList<>();
        byType.forEach((type, n) -> counts.add(new StateCount(StateType.valueOf(type).defaultName(), n,
                Display.stateClass(type), base + "/runs?state=" + type + "&window=" + window.key())));

        ObjectNode late = Json.MAPPER.createObjectNode();
        late.putObject("flow_runs").putObject("state").putObject("name").putArray("any_").add("Late");
        late.put("sort", "EXPECTED_START_TIME_ASC").put("limit", LISTED);
        ObjectNode failed = Json.MAPPER.createObjectNode();
        ObjectNode failedRuns = failed.putObject("flow_runs");
        failedRuns.putObject("state").putObject("type").putArray("any_").add("FAILED").add("CRASHED");
        failedRuns.putObject("expected_start_time").put("after_", Times.iso(start));
        failed.put("sort", "EXPECTED_START_TIME_DESC").put("limit", LISTED);

        String label = window.label().toLowerCase(Locale.ROOT);
        return new Model(Windows.options(window), label, counts, total, StateChart.svg(buckets, "Flow runs by state, " + label),
                Display.time(start), Display.time(end),
                rows.rows(flowRuns.listings().filter(late)), rows.rows(flowRuns.listings().filter(failed)), pools(), latestEvents());
    }

    private List<PoolRow> pools() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", 50);
        return workPools.listings().filter(body).stream().map(p -> {
            String status = Display.text(p.path("status"));
            return new PoolRow(p.path("name").asText(), base + "/work-pools/work-pool/" + Links.segment(p.path("name").asText()),
                    p.path("type").asText(), status.isEmpty() ? "UNKNOWN" : status, Display.statusClass(status));
        }).toList();
    }

    private List<EventRow> latestEvents() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", LISTED);
        body.putObject("filter").put("order", "DESC");
        List<EventRow> out = new ArrayList<>();
        events.filter(body, base).path("events").forEach(e -> out.add(new EventRow(Display.time(e.path("occurred")), e.path("event").asText(),
                e.path("resource").path("prefect.resource.name").asText(e.path("resource").path("prefect.resource.id").asText()))));
        return out;
    }
}
