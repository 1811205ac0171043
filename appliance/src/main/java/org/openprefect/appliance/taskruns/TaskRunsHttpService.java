package org.openprefect.appliance.taskruns;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.runs.RunRoutes;

/** {@code /task_runs} and {@code /task_run_states}: routes to {@link TaskRunService}. */
public final class TaskRunsHttpService implements HttpService {
    private final RouteTable routes;
    private final TaskRunService runs;
    private final RunRoutes shared;

    public TaskRunsHttpService(RouteTable routes, TaskRunService runs) {
        this.routes = routes;
        this.runs = runs;
        this.shared = new RunRoutes(routes, runs, "task_run");
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/task_runs/", (req, res) -> {
            TaskRunService.Created created = runs.create(RequestBodies.read(req, "TaskRunCreate"));
            Responses.json(req, res, created.isNew() ? 201 : 200, created.run().toJson());
        });
        routes.patch(rules, "/task_runs/{id}", (req, res) -> {
            runs.rename(PathIds.uuid(req, "id"), RequestBodies.read(req, "TaskRunUpdate").path("name").textValue());
            Responses.noContent(res);
        });
        shared.register(rules);
    }
}
