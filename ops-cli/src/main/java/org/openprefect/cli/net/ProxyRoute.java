package org.openprefect.cli.net;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How a request to {@code target} leaves this machine: through {@code proxy} (named by the
 * variable that set it) or directly, possibly because a {@code NO_PROXY} entry exempted it.
 *
 * @param proxy the proxy URL, or null when the request goes directly
 * @param variable the environment variable the proxy came from, or null
 * @param bypassedBy the NO_PROXY entry that exempted the target, or null
 */
public record ProxyRoute(URI target, URI proxy, String variable, String bypassedBy) {

    public boolean direct() {
        return proxy == null;
    }

    public InetSocketAddress proxyAddress() {
        int port = proxy.getPort() > 0 ? proxy.getPort() : "https".equals(proxy.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(proxy.getHost(), port);
    }

    /** The proxy URL without its user:password, for messages. */
    public String proxyForDisplay() {
        return proxy.getScheme() + "://" + proxy.getHost() + (proxy.getPort() > 0 ? ":" + proxy.getPort() : "");
    }

    /** The Basic credentials from the proxy URL's user:password, as curl and httpx send them. */
    public Optional<String> proxyAuthorization() {
        String userInfo = proxy == null ? null : proxy.getRawUserInfo();
        if (userInfo == null) {
            return Optional.empty();
        }
        String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
    }

    public String describe() {
        if (proxy != null) {
            return "through " + proxyForDisplay() + " (" + variable + ")";
        }
        if (bypassedBy != null) {
            return "directly: NO_PROXY entry '" + bypassedBy + "' exempts it from " + variable;
        }
        return "directly (no proxy variable applies)";
    }
}
