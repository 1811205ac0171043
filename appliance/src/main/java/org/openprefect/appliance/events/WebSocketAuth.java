package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.http.BasicAuthFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The handshake every Prefect websocket shares, as upstream's {@code accept_prefect_socket}: a
 * client that offers the {@code prefect} subprotocol must send {@code {"type":"auth","token":...}}
 * first and gets {@code {"type":"auth_success"}}; a client without it is accepted as a legacy
 * client only when no auth string is configured, or when its upgrade carries the right Basic
 * {@code Authorization} header (what current clients add for proxies). {@code /events/in} lets
 * legacy clients in regardless, as upstream does: the 3.4 client's events client opens it with no
 * subprotocol, no header and no auth message, so refusing it would lose every event (every task
 * run) of a server with auth on. One instance per connection.
 */
final class WebSocketAuth {
    static final String SUBPROTOCOL = "prefect";
    /** RFC 6455 close code 1008; Helidon names no constant for it. */
    static final int POLICY_VIOLATION = 1008;

    private final String authString;
    private final boolean legacyClientsWithoutAuth;
    private boolean prefectProtocol;
    private boolean headerAuthenticated;
    private boolean authenticated;

    WebSocketAuth(String authString, boolean legacyClientsWithoutAuth) {
        this.authString = authString == null || authString.isEmpty() ? null : authString;
        this.legacyClientsWithoutAuth = legacyClientsWithoutAuth;
    }

    /** Reads the upgrade request; returns the subprotocol header to answer with, if the client offered ours. */
    Optional<Headers> upgrade(Headers headers) {
        prefectProtocol = headers.all(HeaderNames.create("Sec-WebSocket-Protocol"), List::of).stream()
                .flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).anyMatch(SUBPROTOCOL::equals);
        headerAuthenticated = authString != null && BasicAuthFilter.matches(headers.first(HeaderNames.AUTHORIZATION).orElse(""),
                authString.getBytes(StandardCharsets.UTF_8));
        if (!prefectProtocol) {
            return Optional.empty();
        }
        WritableHeaders<?> reply = WritableHeaders.create();
        reply.set(HeaderNames.create("Sec-WebSocket-Protocol"), SUBPROTOCOL);
        return Optional.of(reply);
    }

    /** Right after the upgrade: a legacy client is let in or closed now; a prefect one waits for its auth message. */
    void opened(WsSession session) {
        if (prefectProtocol) {
            return;
        }
        if (authString == null || headerAuthenticated || legacyClientsWithoutAuth) {
            authenticated = true;
        } else {
            session.close(WsCloseCodes.PROTOCOL_ERROR, "'prefect' subprotocol required when auth is configured");
        }
    }

    boolean authenticated() {
        return authenticated;
    }

    /** The first message of a prefect client: an auth message answered with auth_success, or a close with 1008. */
    void authenticate(WsSession session, JsonNode message) {
        if (message == null || !"auth".equals(message.path("type").asText())) {
            session.close(POLICY_VIOLATION, "Expected 'auth' message");
            return;
        }
        if (authString != null) {
            String token = message.hasNonNull("token") ? message.get("token").asText() : "";
            if (token.isEmpty()) {
                session.close(POLICY_VIOLATION, "Auth required but no token provided");
                return;
            }
            if (!matches(token)) {
                session.close(POLICY_VIOLATION, "Invalid token");
                return;
            }
        }
        authenticated = true;
        session.send("{\"type\":\"auth_success\"}", true);
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), authString.getBytes(StandardCharsets.UTF_8));
    }
}
