package org.openprefect.appliance.automations;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /automations}: routes to {@link AutomationService}. */
public final class AutomationsHttpService implements HttpService {
    private final RouteTable routes;
    private final AutomationService automations;

    public AutomationsHttpService(RouteTable routes, AutomationService automations) {
        this.routes = routes;
        this.automations = automations;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/automations/", (req, res) -> Responses.json(req, res, 201,
                automations.create(RequestBodies.read(req, "AutomationCreate")).toJson()));
        routes.post(rules, "/automations/filter", (req, res) -> Responses.json(req, res, 200,
                automations.listings().filter(RequestBodies.read(req, "Body_read_automations_automations_filter_post"))));
        routes.post(rules, "/automations/count", (req, res) -> Responses.json(req, res, 200,
                automations.listings().count(RequestBodies.parse(req))));
        routes.get(rules, "/automations/related-to/{resource_id}", (req, res) -> Responses.json(req, res, 200,
                automations.relatedTo(req.path().pathParameters().get("resource_id")).stream().map(Automation::toJson).toList()));
        routes.delete(rules, "/automations/owned-by/{resource_id}", (req, res) -> {
            automations.deleteOwnedBy(req.path().pathParameters().get("resource_id"));
            res.status(202).send();
        });
        routes.get(rules, "/automations/{id}", (req, res) -> Responses.json(req, res, 200, automations.read(PathIds.uuid(req, "id")).toJson()));
        routes.put(rules, "/automations/{id}", (req, res) -> {
            automations.replace(PathIds.uuid(req, "id"), RequestBodies.read(req, "AutomationUpdate"));
            Responses.noContent(res);
        });
        routes.patch(rules, "/automations/{id}", (req, res) -> {
            automations.setEnabled(PathIds.uuid(req, "id"), RequestBodies.read(req, "AutomationPartialUpdate").path("enabled").asBoolean(true));
            Responses.noContent(res);
        });
        routes.delete(rules, "/automations/{id}", (req, res) -> {
            automations.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
