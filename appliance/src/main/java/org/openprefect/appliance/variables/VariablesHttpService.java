package org.openprefect.appliance.variables;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /variables}: routes to {@link VariableService}. */
public final class VariablesHttpService implements HttpService {
    private final RouteTable routes;
    private final VariableService variables;

    public VariablesHttpService(RouteTable routes, VariableService variables) {
        this.routes = routes;
        this.variables = variables;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/variables/", (req, res) -> Responses.json(req, res, 201,
                variables.create(RequestBodies.read(req, "VariableCreate")).toJson()));
        routes.post(rules, "/variables/filter", (req, res) -> Responses.json(req, res, 200,
                variables.listings().filter(RequestBodies.read(req, "Body_read_variables_variables_filter_post"))));
        routes.post(rules, "/variables/count", (req, res) -> Responses.json(req, res, 200,
                variables.listings().count(RequestBodies.read(req, "Body_count_variables_variables_count_post"))));
        routes.get(rules, "/variables/name/{name}", (req, res) -> Responses.json(req, res, 200,
                variables.readByName(req.path().pathParameters().get("name")).toJson()));
        routes.patch(rules, "/variables/name/{name}", (req, res) -> {
            variables.update(VariableRepository.Key.name(req.path().pathParameters().get("name")), RequestBodies.read(req, "VariableUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/variables/name/{name}", (req, res) -> {
            variables.delete(VariableRepository.Key.name(req.path().pathParameters().get("name")));
            Responses.noContent(res);
        });
        routes.get(rules, "/variables/{id}", (req, res) -> Responses.json(req, res, 200, variables.read(PathIds.uuid(req, "id")).toJson()));
        routes.patch(rules, "/variables/{id}", (req, res) -> {
            variables.update(VariableRepository.Key.id(PathIds.uuid(req, "id")), RequestBodies.read(req, "VariableUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/variables/{id}", (req, res) -> {
            variables.delete(VariableRepository.Key.id(PathIds.uuid(req, "id")));
            Responses.noContent(res);
        });
    }
}
