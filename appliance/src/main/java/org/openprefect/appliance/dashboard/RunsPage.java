package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.orchestration.StateType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The runs page: flow runs filtered by state, flow, deployment, tag and time window, sorted, paged
 * by the database (the same paginate query as the API, so it stays fast at a million runs).
 */
final class RunsPage {
    static final int PAGE_SIZE = 25;
    /** The sorts an index serves at a million runs (a sort by name would read them all). */
    private static final List<String> SORTS = List.of("EXPECTED_START_TIME_DESC", "EXPECTED_START_TIME_ASC", "START_TIME_DESC");

    /** One state type checkbox of the filter form. */
    record StateChoice(String type, String label, boolean checked) {
    }

    /** One sort option. */
    record SortChoice(String key, String label, boolean selected) {
    }

    /** The page: the filter form's values, the rows, the count and the pager. */
    record Model(List<StateChoice> states, String flow, String deployment, String tag, String pool, List<Windows.Window> windows, List<SortChoice> sorts,
                 List<RunRows.RunRow> runs, long count, Paginated.Pager pager, String tableUrl) {
    }

    private final FlowRunService flowRuns;
    private final RunRows rows;
    private final String base;

    RunsPage(FlowRunService flowRuns, RunRows rows, String base) {
        this.flowRuns = flowRuns;
        this.rows = rows;
        this.base = base;
    }

    Model model(Query q) {
        List<String> states = q.all("state").stream().map(s -> s.toUpperCase(Locale.ROOT))
                .filter(s -> Arrays.stream(StateType.values()).anyMatch(t -> t.name().equals(s))).toList();
        String flow = q.text("flow", "");
        String deployment = q.text("deployment", "");
        String tag = q.text("tag", "");
        String pool = q.text("pool", "");
        Windows.Window window = Windows.chosen(q.text("window", "7d"), "7d");
        String sort = SORTS.contains(q.text("sort", "")) ? q.text("sort", "") : SORTS.get(0);

        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode runFilter = body.putObject("flow_runs");
        if (!states.isEmpty()) {
            ArrayNode any = runFilter.putObject("state").putObject("type").putArray("any_");
            states.forEach(any::add);
        }
        if (!tag.isEmpty()) {
            runFilter.putObject("tags").putArray("all_").add(tag);
        }
        runFilter.putObject("expected_start_time").put("after_", Times.iso(Times.now().minus(window.span())));
        if (!flow.isEmpty()) {
            body.putObject("flows").putObject("name").put("like_", flow);
        }
        if (!deployment.isEmpty()) {
            body.putObject("deployments").putObject("name").put("like_", deployment);
        }
        if (!pool.isEmpty()) {
            body.putObject("work_pools").putObject("name").putArray("any_").add(pool);
        }
        body.put("sort", sort).put("limit", PAGE_SIZE);
        Paginated found = Paginated.of(flowRuns.listings(), body, q, base + "/runs");
        return new Model(Arrays.stream(StateType.values()).map(t -> new StateChoice(t.name(), t.defaultName(), states.contains(t.name()))).toList(),
                flow, deployment, tag, pool, Windows.options(window), sortChoices(sort), rows.rows(found.results()), found.count(), found.pager(),
                base + "/runs/table" + Query.encode(q.values()));
    }

    private static List<SortChoice> sortChoices(String sort) {
        return SORTS.stream().map(s -> new SortChoice(s, switch (s) {
            case "EXPECTED_START_TIME_DESC" -> "Newest first";
            case "EXPECTED_START_TIME_ASC" -> "Oldest first";
            default -> "Recently started";
        }, s.equals(sort))).toList();
    }
}
