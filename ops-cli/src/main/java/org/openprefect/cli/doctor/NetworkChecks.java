package org.openprefect.cli.doctor;

import org.openprefect.cli.common.ApiClient;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.net.ClientTls;
import org.openprefect.cli.net.ProxyEnvironment;
import org.openprefect.cli.net.ProxyRoute;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The network section: PREFECT_API_URL itself, the route the client's requests and its events
 * websocket take (proxy variables, NO_PROXY), a real request to /api/health along that route, and
 * the basic-auth round trip.
 */
final class NetworkChecks {
    static final String SECTION = "network";

    private NetworkChecks() {
    }

    /** The inputs of this section, so tests and the command hand them over the same way. */
    record Inputs(String apiUrl, String uiApiUrl, String authString, ProxyEnvironment proxies, ClientTls tls) {
    }

    static List<Finding> run(Inputs in) {
        List<Finding> out = new ArrayList<>();
        uiApiUrl(in.uiApiUrl()).ifPresent(out::add);
        if (in.apiUrl() == null || in.apiUrl().isBlank()) {
            out.add(Finding.warn(SECTION, "api-url", "PREFECT_API_URL is not set: clients start a temporary server of their own instead of using this one.",
                    "prefect config set PREFECT_API_URL=http://HOST:4200/api"));
            return out;
        }
        URI api = parse(in.apiUrl());
        if (api == null || api.getHost() == null || !List.of("http", "https").contains(api.getScheme().toLowerCase(Locale.ROOT))) {
            out.add(Finding.fail(SECTION, "api-url", "PREFECT_API_URL '" + in.apiUrl() + "' is not an http:// or https:// URL with a host.",
                    "prefect config set PREFECT_API_URL=http://HOST:4200/api"));
            return out;
        }
        out.add(apiUrl(api));
        ProxyRoute http;
        ProxyRoute websocket;
        try {
            http = in.proxies().route(api);
            websocket = in.proxies().route(URI.create(api.toString().replaceFirst("^http", "ws") + "/events/in"));
        } catch (IllegalArgumentException e) {
            out.add(Finding.fail(SECTION, "proxy", "A proxy variable is not a URL: " + e.getMessage(),
                    "Set it as http://HOST:PORT (with user:password@ when the proxy needs them)."));
            return out;
        }
        out.add(Finding.ok(SECTION, "proxy", "Requests to " + api.getHost() + " go " + http.describe() + "."));
        List<String> ignored = in.proxies().noProxy().ignoredEntries();
        if (!ignored.isEmpty()) {
            out.add(Finding.warn(SECTION, "no-proxy", "NO_PROXY entries with a port never match (curl's rules): " + String.join(", ", ignored) + ".",
                    "List host names or addresses without ports in NO_PROXY."));
        }
        if (http.direct() != websocket.direct()) {
            out.add(Finding.warn(SECTION, "websocket-proxy", "The events websocket (" + websocket.target() + ") goes " + websocket.describe()
                            + ", unlike the requests: the client's websocket reads only the uppercase HTTP_PROXY / HTTPS_PROXY.",
                    "Set the uppercase variable to the same proxy, or exempt the host in NO_PROXY, so both take the same route."));
        } else {
            out.add(Finding.ok(SECTION, "websocket-proxy", "The events websocket goes " + websocket.describe() + "."));
        }
        ApiClient client;
        try {
            client = new ApiClient(api.toString(), in.authString(), Duration.ofSeconds(10), in.proxies(), in.tls());
        } catch (CliError e) {
            out.add(Finding.fail(SECTION, "health", "The client cannot be set up: " + e.getMessage(),
                    "See the certificates section (prefect doctor --section certificates)."));
            return out;
        }
        if (health(client, http, out)) {
            out.add(auth(client, in.authString()));
        }
        return out;
    }

    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url.strip());
            return uri.getScheme() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Finding apiUrl(URI api) {
        String host = api.getHost().toLowerCase(Locale.ROOT);
        String path = api.getPath() == null ? "" : api.getPath().replaceAll("/+$", "");
        if (isAnyAddress(host)) {
            return Finding.warn(SECTION, "api-url", "PREFECT_API_URL " + api + " uses " + host
                            + ", an address servers listen on, not one clients connect to (only Linux accepts it, and only on the same machine).",
                    "Use the server's host name or IP address, e.g. http://SERVER:4200/api.");
        }
        if (!path.endsWith("/api")) {
            return Finding.warn(SECTION, "api-url", "PREFECT_API_URL " + api + " does not end in /api: the client appends paths such as /flows/ to it and gets 404s.",
                    "prefect config set PREFECT_API_URL=" + api.getScheme() + "://" + api.getRawAuthority() + "/api");
        }
        if (isLoopback(host)) {
            return Finding.ok(SECTION, "api-url", "PREFECT_API_URL " + api + " reaches a server on this machine only (in a container: that container).");
        }
        return Finding.ok(SECTION, "api-url", "PREFECT_API_URL is " + api + ".");
    }

    /** The URL the dashboard's browser calls: 0.0.0.0 there is never reachable. */
    private static Optional<Finding> uiApiUrl(String uiApiUrl) {
        URI ui = parse(uiApiUrl);
        if (ui == null || ui.getHost() == null || !isAnyAddress(ui.getHost())) {
            return Optional.empty();
        }
        return Optional.of(Finding.warn(SECTION, "ui-api-url", "The dashboard's API URL is " + uiApiUrl
                        + ": browsers cannot connect to " + ui.getHost() + ".",
                "Set PREFECT_UI_API_URL to the address browsers use, e.g. http://SERVER:4200/api."));
    }

    private static boolean health(ApiClient client, ProxyRoute route, List<Finding> out) {
        long start = System.nanoTime();
        String how = route.direct() ? "directly" : "through " + route.proxyForDisplay();
        try {
            ApiClient.Response response = client.send("/health");
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (response.status() == 407) {
                out.add(Finding.fail(SECTION, "health", "The proxy " + route.proxyForDisplay() + " asks for credentials (407).",
                        "Put them in the proxy URL: " + route.variable() + "=http://USER:PASSWORD@HOST:PORT"));
                return false;
            }
            if (response.status() / 100 != 2 && response.status() != 401) {
                out.add(Finding.fail(SECTION, "health", "GET /api/health " + how + " answered " + response.status() + ": " + abbreviate(response.body()),
                        route.direct() ? "Check that PREFECT_API_URL points at this server (prefect server status)."
                                : "The proxy could not reach the server: exempt " + route.target().getHost() + " in NO_PROXY, or let the proxy reach it."));
                return false;
            }
            out.add(Finding.ok(SECTION, "health", "GET /api/health " + how + " answered " + response.status() + " in " + millis + " ms."));
            return true;
        } catch (IOException e) {
            out.add(Finding.fail(SECTION, "health", "GET /api/health " + how + " failed: " + reason(e), fixFor(e, route)));
            return false;
        }
    }

    private static String fixFor(IOException e, ProxyRoute route) {
        if (hasCause(e, SSLException.class)) {
            return "See the certificates section (prefect doctor --section certificates).";
        }
        if (!route.direct()) {
            return "Check the proxy " + route.proxyForDisplay() + " (from " + route.variable() + "), or exempt "
                    + route.target().getHost() + " in NO_PROXY if it should be reached directly.";
        }
        return "Start the server (prefect server start) or fix the host and port in PREFECT_API_URL; check firewalls between here and it.";
    }

    private static Finding auth(ApiClient client, String authString) {
        boolean configured = authString != null && !authString.isEmpty();
        try {
            ApiClient.Response response = client.send("/admin/version");
            if (response.status() == 401) {
                return configured
                        ? Finding.fail(SECTION, "auth", "The server rejected PREFECT_API_AUTH_STRING (401).",
                        "Use the same user:password as the server's PREFECT_SERVER_API_AUTH_STRING.")
                        : Finding.fail(SECTION, "auth", "The server requires basic authentication (401) and PREFECT_API_AUTH_STRING is not set.",
                        "prefect config set PREFECT_API_AUTH_STRING=USER:PASSWORD (the server's PREFECT_SERVER_API_AUTH_STRING).");
            }
            if (response.status() / 100 != 2) {
                return Finding.fail(SECTION, "auth", "GET /api/admin/version answered " + response.status() + ".", "Check the server's log.");
            }
            return Finding.ok(SECTION, "auth", configured ? "The server accepted PREFECT_API_AUTH_STRING."
                    : "The server asks for no authentication.");
        } catch (IOException e) {
            return Finding.fail(SECTION, "auth", "GET /api/admin/version failed: " + reason(e), "Check the server's log.");
        }
    }

    private static boolean isAnyAddress(String host) {
        return host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    static String reason(Exception e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        Throwable t = e;
        String message = e.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String body) {
        String b = body == null ? "" : body.strip();
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }
}
