package org.openprefect.appliance.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.util.Map;

/** {@code /health}, {@code /ready}, {@code /hello} and {@code /version}. */
public final class RootService implements HttpService {
    private final RouteTable routes;
    private final Database database;
    private final ServerVersion version;

    public RootService(RouteTable routes, Database database, ServerVersion version) {
        this.routes = routes;
        this.database = database;
        this.version = version;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/health", (req, res) -> Responses.json(req, res, 200, true));
        routes.get(rules, "/ready", this::ready);
        routes.get(rules, "/hello", (req, res) -> Responses.json(req, res, 200, "👋"));
        routes.get(rules, "/version", (req, res) -> Responses.json(req, res, 200, version.apiVersion()));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        if (database.isReachable()) {
            Responses.json(req, res, 200, Map.of("message", "OK"));
        } else {
            Responses.json(req, res, 503, Map.of("message", "Database is not available"));
        }
    }
}
