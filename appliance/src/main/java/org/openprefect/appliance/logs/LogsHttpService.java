package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.node.NullNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /logs}: routes to {@link LogService}. */
public final class LogsHttpService implements HttpService {
    private final RouteTable routes;
    private final LogService logs;

    public LogsHttpService(RouteTable routes, LogService logs) {
        this.routes = routes;
        this.logs = logs;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/logs/", (req, res) -> {
            logs.create(LogCreate.allOf(RequestBodies.readArrayOf(req, "LogCreate")));
            Responses.json(req, res, 201, NullNode.getInstance());
        });
        routes.post(rules, "/logs/filter", (req, res) -> Responses.json(req, res, 200,
                logs.filter(RequestBodies.read(req, "Body_read_logs_logs_filter_post")).stream().map(Log::toJson).toList()));
    }
}
