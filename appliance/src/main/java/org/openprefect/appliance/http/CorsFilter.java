package org.openprefect.appliance.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Cross-origin requests as upstream answers them (Starlette's {@code CORSMiddleware}, configured by
 * {@code PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS}, {@code _METHODS}, {@code _HEADERS}, each
 * comma-separated, {@code *} for all): a preflight is answered here, before authentication and
 * routing, 200 {@code OK} or 400 {@code Disallowed CORS ...}; every other request from an allowed
 * origin gets {@code Access-Control-Allow-Origin}, error answers included (upstream's 500s lack
 * it, which leaves a browser with an opaque failure; ours carry it).
 */
public final class CorsFilter implements Filter {
    private static final List<String> ALL_METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");
    private static final List<String> SAFELISTED_HEADERS = List.of("Accept", "Accept-Language", "Content-Language", "Content-Type");
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final HeaderName REQUEST_HEADERS = HeaderNames.create("Access-Control-Request-Headers");
    private static final HeaderName ALLOW_ORIGIN = HeaderNames.create("Access-Control-Allow-Origin");
    private static final HeaderName ALLOW_METHODS = HeaderNames.create("Access-Control-Allow-Methods");
    private static final HeaderName ALLOW_HEADERS = HeaderNames.create("Access-Control-Allow-Headers");
    private static final HeaderName MAX_AGE = HeaderNames.create("Access-Control-Max-Age");
    private static final String MAX_AGE_SECONDS = "600";

    private final List<String> origins;
    private final boolean allOrigins;
    private final List<String> methods;
    private final boolean allHeaders;
    private final List<String> headers;
    private final Set<String> headersLowerCase;

    public CorsFilter(String allowedOrigins, String allowedMethods, String allowedHeaders) {
        this.origins = split(allowedOrigins);
        this.allOrigins = origins.contains("*");
        List<String> m = split(allowedMethods);
        this.methods = m.contains("*") ? ALL_METHODS : m;
        List<String> h = split(allowedHeaders);
        this.allHeaders = h.contains("*");
        TreeSet<String> withSafelisted = new TreeSet<>(SAFELISTED_HEADERS);
        withSafelisted.addAll(h);
        this.headers = new ArrayList<>(withSafelisted);
        this.headersLowerCase = headers.stream().map(header -> header.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        if (req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD)) {
            preflight(req, res, origin.get());
            return;
        }
        // With cookies a browser refuses "*", so Starlette names the origin then, and so do we.
        if (allOrigins && !req.headers().contains(HeaderNames.COOKIE)) {
            res.header(ALLOW_ORIGIN, "*");
        } else if (allOrigins || origins.contains(origin.get())) {
            res.header(ALLOW_ORIGIN, origin.get());
            res.header(HeaderNames.VARY, "Origin");
        }
        chain.proceed();
    }

    private void preflight(RoutingRequest req, RoutingResponse res, String origin) {
        List<String> failures = new ArrayList<>();
        if (allOrigins) {
            res.header(ALLOW_ORIGIN, "*");
        } else {
            res.header(HeaderNames.VARY, "Origin");
            if (origins.contains(origin)) {
                res.header(ALLOW_ORIGIN, origin);
            } else {
                failures.add("origin");
            }
        }
        res.header(ALLOW_METHODS, String.join(", ", methods));
        res.header(MAX_AGE, MAX_AGE_SECONDS);
        if (!methods.contains(req.headers().first(REQUEST_METHOD).orElse(""))) {
            failures.add("method");
        }
        Optional<String> requested = req.headers().first(REQUEST_HEADERS);
        if (allHeaders && requested.isPresent()) {
            res.header(ALLOW_HEADERS, requested.get());
        } else {
            if (!allHeaders) {
                res.header(ALLOW_HEADERS, String.join(", ", headers));
            }
            if (requested.isPresent() && !headersAllowed(requested.get())) {
                failures.add("headers");
            }
        }
        String text = failures.isEmpty() ? "OK" : "Disallowed CORS " + String.join(", ", failures);
        res.status(failures.isEmpty() ? 200 : 400);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(text.getBytes(StandardCharsets.UTF_8));
    }

    private boolean headersAllowed(String requested) {
        return Arrays.stream(requested.split(",")).map(h -> h.strip().toLowerCase(Locale.ROOT)).allMatch(headersLowerCase::contains);
    }

    private static List<String> split(String setting) {
        return setting == null ? List.of() : Arrays.stream(setting.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
