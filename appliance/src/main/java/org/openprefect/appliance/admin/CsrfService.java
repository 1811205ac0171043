package org.openprefect.appliance.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.http.ValidationErrors;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /csrf-token}. CSRF protection is off (the server refuses to start with it on until
 * tokens are issued), so the client asks once, reads the 422 "CSRF protection is disabled." and
 * stops asking.
 */
public final class CsrfService implements HttpService {
    private final RouteTable routes;

    public CsrfService(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/csrf-token", this::token);
    }

    private void token(ServerRequest req, ServerResponse res) {
        Optional<String> client = req.query().first("client").asOptional();
        if (client.isEmpty()) {
            new ValidationErrors().missing(List.of("query", "client")).send(req, res, null);
            return;
        }
        Responses.detail(req, res, 422, "CSRF protection is disabled.");
    }
}
