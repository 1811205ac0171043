package org.openprefect.appliance.events;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.http.ValidationErrors;

import java.util.List;

/** {@code /events} over REST: routes to {@link EventService}. */
public final class EventsHttpService implements HttpService {
    private final RouteTable routes;
    private final EventService events;
    private final String apiBasePath;

    public EventsHttpService(RouteTable routes, EventService events, String apiBasePath) {
        this.routes = routes;
        this.events = events;
        this.apiBasePath = apiBasePath;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/events", (req, res) -> {
            events.receiveAll(RequestBodies.readArrayOf(req, "Event"));
            Responses.noContent(res);
        });
        routes.post(rules, "/events/filter", (req, res) -> Responses.json(req, res, 200,
                events.filter(RequestBodies.read(req, "Body_read_events_events_filter_post"), baseUrl(req))));
        routes.post(rules, "/events/count-by/{countable}", (req, res) -> {
            String countable = req.path().pathParameters().get("countable");
            if (!List.of("day", "time", "event", "resource").contains(countable)) {
                throw new InvalidRequestException(new ValidationErrors().add("enum",
                        List.of("path", "countable"), "Input should be 'day', 'time', 'event' or 'resource'", countable), null);
            }
            Responses.json(req, res, 200, events.countBy(countable,
                    RequestBodies.read(req, "Body_count_account_events_events_count_by__countable__post")));
        });
        routes.get(rules, "/events/filter/next", (req, res) -> {
            String token = req.query().first("page-token").orElseThrow(() -> ApiException.detail(403, "Invalid page token"));
            Responses.json(req, res, 200, events.nextPage(token, baseUrl(req)));
        });
    }

    private String baseUrl(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host() + ":" + req.localPeer().port());
        return (req.isSecure() ? "https://" : "http://") + host + apiBasePath;
    }
}
