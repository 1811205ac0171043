package org.openprefect.appliance.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HTTP Basic auth for the API when {@code PREFECT_SERVER_API_AUTH_STRING} is set. Health and
 * readiness stay open so probes need no secret. An official UI build is not protected, as
 * upstream (it asks for the secret itself and sends it with each API call); the appliance's own
 * dashboard renders data into its pages, so its pages are, with a browser challenge
 * ({@code WWW-Authenticate}) that makes the browser ask for the credentials; its hashed static
 * files are not (they hold no data).
 * Websocket upgrades of the websocket endpoints pass: those authenticate in-band (their first
 * message), which is how the Python client authenticates them; upstream's auth middleware is
 * HTTP-only for the same reason.
 */
public final class BasicAuthFilter implements Filter {
    private final byte[] expected;
    private final String apiPrefix;
    private final Set<String> exempt;
    private final Set<String> websockets;
    private final boolean pagesProtected;
    private final String staticPrefix;

    /**
     * @param websocketPaths the paths (under the API base) whose websocket upgrades authenticate themselves
     * @param dashboardBase  the dashboard's base path when it is served (its pages are then protected too), else empty
     */
    public BasicAuthFilter(String authString, String apiBasePath, Set<String> websocketPaths, Optional<String> dashboardBase) {
        this.expected = authString.getBytes(StandardCharsets.UTF_8);
        this.apiPrefix = apiBasePath;
        this.pagesProtected = dashboardBase.isPresent();
        this.staticPrefix = dashboardBase.map(b -> (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/static/").orElse("");
        this.exempt = Set.of(apiBasePath + "/health", apiBasePath + "/ready");
        this.websockets = websocketPaths.stream().map(p -> apiBasePath + p).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        boolean isApi = path.equals(apiPrefix) || path.startsWith(apiPrefix + "/");
        boolean isGet = req.prologue().method() == Method.GET;
        boolean isExempt = isGet && (exempt.contains(path) || websockets.contains(path) && isWebsocketUpgrade(req));
        boolean isPage = !isApi && pagesProtected && !path.startsWith(staticPrefix);
        if (!(isApi || isPage) || isExempt || authorized(req)) {
            chain.proceed();
            return;
        }
        if (isPage) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"Prefect\", charset=\"UTF-8\"");
            Responses.send(req, res, 401, "text/plain; charset=utf-8", "Unauthorized: sign in with the server's auth string.".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Responses.json(req, res, 401, Map.of("exception_message", "Unauthorized"));
    }

    private static boolean isWebsocketUpgrade(RoutingRequest req) {
        return req.headers().first(HeaderNames.UPGRADE).map("websocket"::equalsIgnoreCase).orElse(false);
    }

    private boolean authorized(RoutingRequest req) {
        return matches(req.headers().first(HeaderNames.AUTHORIZATION).orElse(""), expected);
    }

    /** Whether an {@code Authorization} header is {@code Basic} with exactly these credentials (compared in constant time). */
    public static boolean matches(String authorizationHeader, byte[] expected) {
        if (!authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorizationHeader.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expected);
    }
}
