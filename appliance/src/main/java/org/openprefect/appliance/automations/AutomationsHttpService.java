package org.openprefect.appliance.automations;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/**
 * The two automation routes the runner calls around {@code flow.serve()}: it deletes the
 * automations its deployment owned and lists those related to it. Creating automations (and the
 * triggers that would fill these tables) is not built yet; until then both answer over empty tables.
 */
public final class AutomationsHttpService implements HttpService {
    private final RouteTable routes;
    private final Database db;
    private final AutomationRepository automations;

    public AutomationsHttpService(RouteTable routes, Database db) {
        this.routes = routes;
        this.db = db;
        this.automations = new AutomationRepository(db.dialect());
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/automations/related-to/{resource_id}", (req, res) -> {
            String resource = req.path().pathParameters().get("resource_id");
            Responses.json(req, res, 200, db.read(c -> automations.relatedTo(c, resource)).stream().map(Automation::toJson).toList());
        });
        routes.delete(rules, "/automations/owned-by/{resource_id}", (req, res) -> {
            String resource = req.path().pathParameters().get("resource_id");
            db.write(c -> automations.deleteOwnedBy(c, resource));
            res.status(202).send();
        });
    }
}
