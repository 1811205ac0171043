package org.openprefect.appliance.flowruns;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.logs.LogService;
import org.openprefect.appliance.runs.RunRoutes;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** {@code /flow_runs} and {@code /flow_run_states}: routes to {@link FlowRunService}. */
public final class FlowRunsHttpService implements HttpService {
    private final RouteTable routes;
    private final FlowRunService runs;
    private final RunRoutes shared;
    private final LogService logs;

    public FlowRunsHttpService(RouteTable routes, FlowRunService runs, LogService logs) {
        this.routes = routes;
        this.runs = runs;
        this.shared = new RunRoutes(routes, runs, "flow_run");
        this.logs = logs;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/flow_runs/", (req, res) -> {
            FlowRunService.Created created = runs.create(FlowRunCreate.from(RequestBodies.read(req, "FlowRunCreate")));
            Responses.json(req, res, created.isNew() ? 201 : 200, created.run().toJson());
        });
        routes.patch(rules, "/flow_runs/{id}", (req, res) -> {
            runs.update(PathIds.uuid(req, "id"), FlowRunUpdate.from(RequestBodies.read(req, "FlowRunUpdate")));
            Responses.noContent(res);
        });
        routes.post(rules, "/flow_runs/lateness", (req, res) -> Responses.json(req, res, 200,
                runs.lateness(RequestBodies.read(req, "Body_average_flow_run_lateness_flow_runs_lateness_post"))));
        routes.post(rules, "/flow_runs/bulk_set_state", (req, res) -> Responses.json(req, res, 200,
                runs.bulkSetState(RequestBodies.read(req, "Body_bulk_set_flow_run_state_flow_runs_bulk_set_state_post"))));
        routes.get(rules, "/flow_runs/{id}/logs/download", (req, res) -> {
            UUID id = PathIds.uuid(req, "id");
            String name = runs.read(id).name();
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-logs.csv\"");
            Responses.send(req, res, 200, "text/csv; charset=utf-8", logs.csvOfFlowRun(id).getBytes(StandardCharsets.UTF_8));
        });
        routes.get(rules, "/flow_runs/{id}/graph", (req, res) -> Responses.json(req, res, 200, runs.graph(PathIds.uuid(req, "id"))));
        routes.post(rules, "/flow_runs/bulk_delete", (req, res) -> Responses.json(req, res, 200,
                runs.bulkDelete(RequestBodies.read(req, "Body_bulk_delete_flow_runs_flow_runs_bulk_delete_post"))));
        routes.post(rules, "/flow_runs/{id}/resume", (req, res) -> {
            FlowRunResumes.Outcome outcome = runs.resume(PathIds.uuid(req, "id"),
                    RequestBodies.read(req, "Body_resume_flow_run_flow_runs__id__resume_post"));
            Responses.json(req, res, outcome.written() ? 201 : 200, outcome.body());
        });
        routes.post(rules, "/flow_runs/{id}/input", (req, res) -> {
            runs.createInput(PathIds.uuid(req, "id"), RequestBodies.read(req, "Body_create_flow_run_input_flow_runs__id__input_post"));
            res.status(Status.CREATED_201).send();
        });
        routes.post(rules, "/flow_runs/{id}/input/filter", (req, res) -> Responses.json(req, res, 200,
                runs.filterInputs(PathIds.uuid(req, "id"), RequestBodies.read(req, "Body_filter_flow_run_input_flow_runs__id__input_filter_post"))));
        routes.get(rules, "/flow_runs/{id}/input/{key}", (req, res) -> Responses.send(req, res, 200, "text/plain; charset=utf-8",
                runs.readInput(PathIds.uuid(req, "id"), req.path().pathParameters().get("key")).getBytes(StandardCharsets.UTF_8)));
        routes.delete(rules, "/flow_runs/{id}/input/{key}", (req, res) -> {
            runs.deleteInput(PathIds.uuid(req, "id"), req.path().pathParameters().get("key"));
            Responses.noContent(res);
        });
        routes.patch(rules, "/flow_runs/{id}/labels", (req, res) -> {
            var body = RequestBodies.parse(req);
            if (!body.isObject()) {
                throw ApiException.detail(422, "Labels must be a JSON object.");
            }
            runs.updateLabels(PathIds.uuid(req, "id"), body);
            Responses.noContent(res);
        });
        shared.register(rules);
    }
}
