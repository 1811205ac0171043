package org.openprefect.appliance.http;

import io.helidon.common.uri.UriPath;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers API routes so that both {@code /flows} and {@code /flows/} reach the handler (the
 * client uses the slash, upstream answers both), and remembers them so an unmatched request can
 * be told 405 (path known, method not) or 404.
 */
public final class RouteTable {
    private record Route(Method method, PathMatcher matcher) {
    }

    private final String mountPath;
    private final List<Route> routes = new ArrayList<>();

    /** @param mountPath where the rules are registered, e.g. {@code /api} */
    public RouteTable(String mountPath) {
        this.mountPath = mountPath.endsWith("/") ? mountPath.substring(0, mountPath.length() - 1) : mountPath;
    }

    public void add(HttpRules rules, Method method, String path, Handler handler) {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        rules.route(method, bare, handler);
        rules.route(method, bare + "/", handler);
        routes.add(new Route(method, PathMatchers.create(mountPath + bare)));
        routes.add(new Route(method, PathMatchers.create(mountPath + bare + "/")));
    }

    public void get(HttpRules rules, String path, Handler handler) {
        add(rules, Method.GET, path, handler);
    }

    public void post(HttpRules rules, String path, Handler handler) {
        add(rules, Method.POST, path, handler);
    }

    public void patch(HttpRules rules, String path, Handler handler) {
        add(rules, Method.PATCH, path, handler);
    }

    public void put(HttpRules rules, String path, Handler handler) {
        add(rules, Method.PUT, path, handler);
    }

    public void delete(HttpRules rules, String path, Handler handler) {
        add(rules, Method.DELETE, path, handler);
    }

    /** The methods registered for a full request path, sorted; empty when the path is unknown. */
    public Set<String> methodsFor(UriPath path) {
        Set<String> methods = new TreeSet<>();
        for (Route r : routes) {
            if (r.matcher().match(path).accepted()) {
                methods.add(r.method().text());
            }
        }
        return methods;
    }
}
