package org.openprefect.appliance.flows;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /flows}: routes to {@link FlowService}. */
public final class FlowsHttpService implements HttpService {
    private final RouteTable routes;
    private final FlowService flows;

    public FlowsHttpService(RouteTable routes, FlowService flows) {
        this.routes = routes;
        this.flows = flows;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/flows/", (req, res) -> {
            FlowUpsert upsert = flows.create(FlowCreate.from(RequestBodies.read(req, "FlowCreate")));
            Responses.json(req, res, upsert.created() ? 201 : 200, upsert.flow().toJson());
        });
        routes.post(rules, "/flows/filter", (req, res) -> Responses.json(req, res, 200,
                flows.listings().filter(RequestBodies.read(req, "Body_read_flows_flows_filter_post"))));
        routes.post(rules, "/flows/count", (req, res) -> Responses.json(req, res, 200,
                flows.listings().count(RequestBodies.read(req, "Body_count_flows_flows_count_post"))));
        routes.post(rules, "/flows/paginate", (req, res) -> Responses.json(req, res, 200,
                flows.listings().paginate(RequestBodies.read(req, "Body_paginate_flows_flows_paginate_post"))));
        routes.post(rules, "/flows/bulk_delete", (req, res) -> Responses.json(req, res, 200,
                flows.bulkDelete(RequestBodies.read(req, "Body_bulk_delete_flows_flows_bulk_delete_post"))));
        routes.get(rules, "/flows/name/{name}", (req, res) -> Responses.json(req, res, 200,
                flows.readByName(req.path().pathParameters().get("name")).toJson()));
        routes.get(rules, "/flows/{id}", (req, res) -> Responses.json(req, res, 200, flows.read(PathIds.uuid(req, "id")).toJson()));
        routes.patch(rules, "/flows/{id}", (req, res) -> {
            flows.update(PathIds.uuid(req, "id"), FlowUpdate.from(RequestBodies.read(req, "FlowUpdate")));
            Responses.noContent(res);
        });
        routes.delete(rules, "/flows/{id}", (req, res) -> {
            flows.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
