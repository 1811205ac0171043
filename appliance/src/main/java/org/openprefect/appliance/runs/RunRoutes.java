package org.openprefect.appliance.runs;

import io.helidon.webserver.http.HttpRules;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryErrors;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.orchestration.OrchestrationResult;

import java.util.UUID;

/**
 * The routes flow runs and task runs share, with upstream's paths and body schema names, which
 * follow one pattern per kind ({@code flow_run} / {@code task_run}): filter, count, paginate,
 * history, set_state, read, delete, and the states of a run. Each kind's create and update bodies
 * differ, so its own {@code HttpService} routes those.
 */
public final class RunRoutes {
    private final RouteTable routes;
    private final RunResource runs;
    /** {@code flow_run} or {@code task_run}. */
    private final String kind;

    public RunRoutes(RouteTable routes, RunResource runs, String kind) {
        this.routes = routes;
        this.runs = runs;
        this.kind = kind;
    }

    public void register(HttpRules rules) {
        String base = "/" + kind + "s";
        routes.post(rules, base + "/filter", (req, res) -> Responses.json(req, res, 200,
                runs.listings().filter(RequestBodies.read(req, "Body_read_" + kind + "s_" + kind + "s_filter_post"))));
        routes.post(rules, base + "/count", (req, res) -> Responses.json(req, res, 200,
                runs.listings().count(RequestBodies.read(req, "Body_count_" + kind + "s_" + kind + "s_count_post"))));
        routes.post(rules, base + "/paginate", (req, res) -> Responses.json(req, res, 200,
                runs.listings().paginate(RequestBodies.read(req, "Body_paginate_" + kind + "s_" + kind + "s_paginate_post"))));
        routes.post(rules, base + "/history", (req, res) -> Responses.json(req, res, 200,
                runs.history(RequestBodies.read(req, "Body_" + kind + "_history_" + kind + "s_history_post"))));
        routes.post(rules, base + "/{id}/set_state", (req, res) -> {
            OrchestrationResult result = runs.setState(PathIds.uuid(req, "id"),
                    RequestBodies.read(req, "Body_set_" + kind + "_state_" + kind + "s__id__set_state_post"));
            Responses.json(req, res, result.written() ? 201 : 200, result.toJson());
        });
        routes.get(rules, base + "/{id}", (req, res) -> Responses.json(req, res, 200, runs.read(PathIds.uuid(req, "id")).toJson()));
        routes.delete(rules, base + "/{id}", (req, res) -> {
            runs.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
        String states = "/" + kind + "_states";
        routes.get(rules, states + "/{id}", (req, res) -> Responses.json(req, res, 200, runs.state(PathIds.uuid(req, "id"))));
        routes.get(rules, states + "/", (req, res) -> {
            String parameter = kind + "_id";
            String raw = req.query().first(parameter).orElse(null);
            UUID runId = Ids.parseOrNull(raw);
            if (runId == null) {
                throw QueryErrors.uuidRequired(parameter, raw);
            }
            Responses.json(req, res, 200, runs.statesOfRun(runId));
        });
    }
}
