package org.openprefect.appliance.taskruns;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /ui/task_runs}: the UI's task-run counts and its task-run page, routes to {@link TaskRunViews}. */
public final class UiTaskRunsHttpService implements HttpService {
    /** The filter body schema upstream's {@code /task_runs/filter} has; the UI's routes take the same filters. */
    private static final String FILTER_BODY = "Body_read_task_runs_task_runs_filter_post";

    private final RouteTable routes;
    private final TaskRunViews views;

    public UiTaskRunsHttpService(RouteTable routes, TaskRunViews views) {
        this.routes = routes;
        this.views = views;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/ui/task_runs/count", (req, res) -> Responses.json(req, res, 200,
                views.countByState(RequestBodies.read(req, FILTER_BODY))));
        routes.post(rules, "/ui/task_runs/dashboard/counts", (req, res) -> Responses.json(req, res, 200,
                views.dashboardCounts(RequestBodies.read(req, FILTER_BODY))));
        routes.get(rules, "/ui/task_runs/{id}", (req, res) -> Responses.json(req, res, 200, views.withFlowRunName(PathIds.uuid(req, "id"))));
    }
}
