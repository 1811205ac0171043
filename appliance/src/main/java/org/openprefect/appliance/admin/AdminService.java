package org.openprefect.appliance.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.settings.Settings;

/** {@code /admin/version} and {@code /admin/settings} (secrets masked). */
public final class AdminService implements HttpService {
    private final RouteTable routes;
    private final Settings settings;
    private final ServerVersion version;

    public AdminService(RouteTable routes, Settings settings, ServerVersion version) {
        this.routes = routes;
        this.settings = settings;
        this.version = version;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/admin/version", (req, res) -> Responses.json(req, res, 200, version.prefectVersion()));
        routes.get(rules, "/admin/settings", (req, res) -> Responses.json(req, res, 200, settings.adminTree()));
    }
}
