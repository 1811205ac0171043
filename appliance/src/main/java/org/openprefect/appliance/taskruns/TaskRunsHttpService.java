package org.openprefect.appliance.taskruns;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryErrors;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.orchestration.OrchestrationResult;

import java.util.UUID;

/** {@code /task_runs} and {@code /task_run_states}: routes to {@link TaskRunService}. */
public final class TaskRunsHttpService implements HttpService {
    private final RouteTable routes;
    private final TaskRunService runs;

    public TaskRunsHttpService(RouteTable routes, TaskRunService runs) {
        this.routes = routes;
        this.runs = runs;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/task_runs/", (req, res) -> {
            TaskRunService.Created created = runs.create(RequestBodies.read(req, "TaskRunCreate"));
            Responses.json(req, res, created.isNew() ? 201 : 200, created.run());
        });
        routes.post(rules, "/task_runs/filter", (req, res) -> Responses.json(req, res, 200,
                runs.listings().filter(RequestBodies.read(req, "Body_read_task_runs_task_runs_filter_post"))));
        routes.post(rules, "/task_runs/count", (req, res) -> Responses.json(req, res, 200,
                runs.listings().count(RequestBodies.read(req, "Body_count_task_runs_task_runs_count_post"))));
        routes.post(rules, "/task_runs/paginate", (req, res) -> Responses.json(req, res, 200,
                runs.listings().paginate(RequestBodies.read(req, "Body_paginate_task_runs_task_runs_paginate_post"))));
        routes.post(rules, "/task_runs/history", (req, res) -> Responses.json(req, res, 200,
                runs.history(RequestBodies.read(req, "Body_task_run_history_task_runs_history_post"))));
        routes.post(rules, "/task_runs/{id}/set_state", (req, res) -> {
            OrchestrationResult result = runs.setState(PathIds.uuid(req, "id"),
                    RequestBodies.read(req, "Body_set_task_run_state_task_runs__id__set_state_post"));
            Responses.json(req, res, result.written() ? 201 : 200, result.toJson());
        });
        routes.get(rules, "/task_runs/{id}", (req, res) -> Responses.json(req, res, 200, runs.read(PathIds.uuid(req, "id"))));
        routes.patch(rules, "/task_runs/{id}", (req, res) -> {
            runs.update(PathIds.uuid(req, "id"), RequestBodies.read(req, "TaskRunUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/task_runs/{id}", (req, res) -> {
            runs.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
        routes.get(rules, "/task_run_states/{id}", (req, res) -> Responses.json(req, res, 200, runs.state(PathIds.uuid(req, "id"))));
        routes.get(rules, "/task_run_states/", (req, res) -> {
            String raw = req.query().first("task_run_id").orElse(null);
            UUID runId = Ids.parseOrNull(raw);
            if (runId == null) {
                throw QueryErrors.uuidRequired("task_run_id", raw);
            }
            Responses.json(req, res, 200, runs.statesOfRun(runId));
        });
    }
}
