package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryParams;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.time.Instant;

/**
 * The routes the UI reads flow runs through besides the ordinary API: {@code /ui/flow_runs/history},
 * {@code /ui/flow_runs/count-task-runs}, {@code /ui/flows/next-runs} and
 * {@code /flow_runs/{id}/graph-v2}. Upstream keeps the {@code /ui} routes out of its OpenAPI
 * document, so their bodies are checked here as its FastAPI signatures check them.
 */
public final class UiFlowRunsHttpService implements HttpService {
    /** Upstream's {@code earliest_possible_datetime()}, the default of {@code since}. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final int MAX_IDS = 200;
    private static final int MAX_HISTORY = 1000;

    private final RouteTable routes;
    private final FlowRunViews views;
    private final FlowRunGraph graph;

    public UiFlowRunsHttpService(RouteTable routes, FlowRunViews views, FlowRunGraph graph) {
        this.routes = routes;
        this.views = views;
        this.graph = graph;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/ui/flow_runs/history", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_read_flow_runs_flow_runs_filter_post");
            int limit = RequestBodies.intBetween(body, "limit", MAX_HISTORY, Integer.MIN_VALUE, MAX_HISTORY);
            Responses.json(req, res, 200, views.history(body, body.path("sort").asText("EXPECTED_START_TIME_DESC"), limit,
                    body.path("offset").asInt(0)));
        });
        routes.post(rules, "/ui/flow_runs/count-task-runs", (req, res) -> Responses.json(req, res, 200,
                views.countTaskRuns(RequestBodies.uuids(RequestBodies.parse(req), "flow_run_ids", MAX_IDS))));
        routes.post(rules, "/ui/flows/next-runs", (req, res) -> Responses.json(req, res, 200,
                views.nextRuns(RequestBodies.uuids(RequestBodies.parse(req), "flow_ids", MAX_IDS))));
        routes.get(rules, "/flow_runs/{id}/graph-v2", (req, res) -> Responses.json(req, res, 200,
                graph.graph(PathIds.uuid(req, "id"), QueryParams.instant(req, "since", EARLIEST))));
    }
}
