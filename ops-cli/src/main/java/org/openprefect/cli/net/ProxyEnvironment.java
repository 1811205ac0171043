package org.openprefect.cli.net;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy variables as the upstream client reads them. HTTP(S) requests go through httpx, which
 * takes {@code http_proxy}/{@code https_proxy} (lowercase first, then uppercase), then
 * {@code all_proxy}; the events and logs websockets take only {@code HTTP_PROXY} (ws) or
 * {@code HTTPS_PROXY} (wss). {@code NO_PROXY} is matched with curl's rules ({@link NoProxyList}).
 */
public final class ProxyEnvironment {
    private final Map<String, String> env;

    public ProxyEnvironment(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public ProxyRoute route(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        List<String> variables = switch (scheme) {
            case "http" -> List.of("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY");
            case "https" -> List.of("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");
            case "ws" -> List.of("HTTP_PROXY");
            case "wss" -> List.of("HTTPS_PROXY");
            default -> List.of();
        };
        for (String variable : variables) {
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                continue;
            }
            var exempt = noProxy().match(target.getHost() == null ? "" : target.getHost());
            if (exempt.isPresent()) {
                return new ProxyRoute(target, null, variable, exempt.get());
            }
            return new ProxyRoute(target, parseProxy(value.strip()), variable, null);
        }
        return new ProxyRoute(target, null, null, null);
    }

    public NoProxyList noProxy() {
        String lower = env.get("no_proxy");
        return new NoProxyList(lower != null && !lower.isBlank() ? lower : env.get("NO_PROXY"));
    }

    /** A proxy URL as curl and httpx accept it: a bare {@code host:port} means http. */
    static URI parseProxy(String value) {
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + value + "' is not a proxy URL (expected http://host:port)");
        }
        return uri;
    }

    /** A selector for java.net.http that picks the same route this class reports. */
    public ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                ProxyRoute route = route(uri);
                return route.direct() ? List.of(Proxy.NO_PROXY) : List.of(new Proxy(Proxy.Type.HTTP, route.proxyAddress()));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // Nothing to fall back to: the error reaches the caller.
            }
        };
    }
}
