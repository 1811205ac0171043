package org.openprefect.appliance.savedsearches;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /saved_searches}: routes to {@link SavedSearchService}. */
public final class SavedSearchesHttpService implements HttpService {
    private final RouteTable routes;
    private final SavedSearchService searches;

    public SavedSearchesHttpService(RouteTable routes, SavedSearchService searches) {
        this.routes = routes;
        this.searches = searches;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.put(rules, "/saved_searches/", (req, res) -> {
            SavedSearchService.Saved saved = searches.save(RequestBodies.read(req, "SavedSearchCreate"));
            Responses.json(req, res, saved.created() ? 201 : 200, saved.search().toJson());
        });
        routes.post(rules, "/saved_searches/filter", (req, res) -> Responses.json(req, res, 200,
                searches.listings().filter(RequestBodies.read(req, "Body_read_saved_searches_saved_searches_filter_post"))));
        routes.get(rules, "/saved_searches/{id}", (req, res) -> Responses.json(req, res, 200, searches.read(PathIds.uuid(req, "id")).toJson()));
        routes.delete(rules, "/saved_searches/{id}", (req, res) -> {
            searches.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
