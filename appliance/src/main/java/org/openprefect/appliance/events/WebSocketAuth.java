package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsSession;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The handshake every Prefect websocket shares: the {@code prefect} subprotocol, then an optional
 * {@code {"type":"auth","token":...}} answered with {@code {"type":"auth_success"}}; a Basic
 * {@code Authorization} header on the upgrade also authenticates. One instance per connection.
 */
final class WebSocketAuth {
    static final String SUBPROTOCOL = "prefect";
    /** RFC 6455 close code 1008; Helidon names no constant for it. */
    static final int POLICY_VIOLATION = 1008;

    private final String authString;
    private boolean authenticated;
    private boolean prefectProtocol;

    WebSocketAuth(String authString) {
        this.authString = authString == null || authString.isEmpty() ? null : authString;
        this.authenticated = this.authString == null;
    }

    /** Reads the upgrade request; returns the subprotocol header to answer with, if the client offered ours. */
    Optional<Headers> upgrade(Headers headers) {
        prefectProtocol = headers.first(HeaderNames.create("Sec-WebSocket-Protocol"))
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).anyMatch(SUBPROTOCOL::equals)).orElse(false);
        if (authString != null) {
            String header = headers.first(HeaderNames.AUTHORIZATION).orElse("");
            if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    authenticated = matches(new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ignored) {
                    authenticated = false;
                }
            }
        }
        if (!prefectProtocol) {
            return Optional.empty();
        }
        WritableHeaders<?> reply = WritableHeaders.create();
        reply.set(HeaderNames.create("Sec-WebSocket-Protocol"), SUBPROTOCOL);
        return Optional.of(reply);
    }

    /** Without the subprotocol there is no in-band way to authenticate: such clients must be authenticated already. */
    boolean acceptableOnOpen() {
        return authenticated || prefectProtocol;
    }

    boolean authenticated() {
        return authenticated;
    }

    static boolean isAuthMessage(JsonNode json) {
        return "auth".equals(json.path("type").asText()) && !json.has("event");
    }

    /** Handles an auth message: replies auth_success, or closes with 1008. */
    void authenticate(WsSession session, JsonNode auth) {
        String token = auth.hasNonNull("token") ? auth.get("token").asText() : null;
        if (authString == null || (token != null && matches(token))) {
            authenticated = true;
            session.send("{\"type\":\"auth_success\"}", true);
        } else {
            session.close(POLICY_VIOLATION, "Authentication failed");
        }
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), authString.getBytes(StandardCharsets.UTF_8));
    }
}
