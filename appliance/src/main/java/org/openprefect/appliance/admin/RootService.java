package org.openprefect.appliance.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.services.LoopService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /health}, {@code /ready}, {@code /hello} and {@code /version}. */
public final class RootService implements HttpService {
    private final RouteTable routes;
    private final Database database;
    private final ServerVersion version;
    private final List<LoopService> services;

    public RootService(RouteTable routes, Database database, ServerVersion version, List<LoopService> services) {
        this.routes = routes;
        this.database = database;
        this.version = version;
        this.services = services;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/health", (req, res) -> Responses.json(req, res, 200, true));
        routes.get(rules, "/ready", this::ready);
        routes.get(rules, "/hello", (req, res) -> Responses.json(req, res, 200, "👋"));
        routes.get(rules, "/version", (req, res) -> Responses.json(req, res, 200, version.apiVersion()));
    }

    /**
     * Upstream's readiness answer, exactly ({@code {"message": "OK"}}, or 503 when the database is
     * not available), and ours besides: 503 when a background service is stuck, with each service's
     * state under {@code services}; {@code ?services=true} adds that list to every answer.
     */
    private void ready(ServerRequest req, ServerResponse res) {
        if (!database.isReachable()) {
            Responses.json(req, res, 503, Map.of("message", "Database is not available"));
            return;
        }
        Instant now = Instant.now();
        List<Map<String, Object>> states = new ArrayList<>();
        String stuck = null;
        for (LoopService loop : services) {
            LoopService.Status s = loop.status();
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("name", loop.name());
            state.put("leading", s.leading());
            state.put("last_success", Times.iso(s.lastSuccess()));
            state.put("last_failure", Times.iso(s.lastFailure()));
            state.put("last_error", s.lastError());
            state.put("stuck", loop.isStuck(now));
            states.add(state);
            if (loop.isStuck(now) && stuck == null) {
                stuck = loop.name();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", stuck == null ? "OK" : "Background service " + stuck + " is stuck");
        if (stuck != null || req.query().first("services").orElse("false").equalsIgnoreCase("true")) {
            body.put("services", states);
        }
        Responses.json(req, res, stuck == null ? 200 : 503, body);
    }
}
