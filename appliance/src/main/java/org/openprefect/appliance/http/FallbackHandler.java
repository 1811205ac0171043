package org.openprefect.appliance.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/** Answers requests no route took, with upstream's bodies: 405 with Allow for a known path, else 404. */
public final class FallbackHandler implements Handler {
    private final RouteTable routes;

    public FallbackHandler(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Set<String> allowed = routes.methodsFor(req.path());
        if (!allowed.isEmpty()) {
            res.header(HeaderNames.ALLOW, String.join(", ", allowed));
            Responses.detail(req, res, 405, "Method Not Allowed");
        } else {
            Responses.detail(req, res, 404, "Not Found");
        }
    }
}
