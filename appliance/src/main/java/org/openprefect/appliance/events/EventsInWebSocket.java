package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /api/events/in}: one event JSON per text frame, stored before the next frame is read.
 * With the {@code prefect} subprotocol the client may first authenticate with
 * {@code {"type":"auth","token":...}}; the server answers {@code {"type":"auth_success"}}.
 * One listener per connection.
 */
public final class EventsInWebSocket implements WsListener {
    private static final Logger LOG = Logger.getLogger(EventsInWebSocket.class.getName());
    private static final String SUBPROTOCOL = "prefect";
    /** RFC 6455 close code 1008; Helidon names no constant for it. */
    private static final int POLICY_VIOLATION = 1008;

    private final EventService events;
    private final String authString;
    private final StringBuilder partial = new StringBuilder();
    private boolean authenticated;
    private boolean prefectProtocol;

    public EventsInWebSocket(EventService events, String authString) {
        this.events = events;
        this.authString = authString == null || authString.isEmpty() ? null : authString;
        this.authenticated = this.authString == null;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        prefectProtocol = headers.first(HeaderNames.create("Sec-WebSocket-Protocol"))
                .map(v -> java.util.Arrays.stream(v.split(",")).map(String::strip).anyMatch(SUBPROTOCOL::equals)).orElse(false);
        if (authString != null) {
            String header = headers.first(HeaderNames.AUTHORIZATION).orElse("");
            if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    authenticated = MessageDigest.isEqual(Base64.getDecoder().decode(header.substring(6).strip()),
                            authString.getBytes(StandardCharsets.UTF_8));
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

    @Override
    public void onOpen(WsSession session) {
        if (!authenticated && !prefectProtocol) {
            // Without the prefect subprotocol there is no way to authenticate in-band.
            session.close(WsCloseCodes.PROTOCOL_ERROR, "Authentication required");
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        partial.append(text);
        if (!last) {
            return;
        }
        String message = partial.toString();
        partial.setLength(0);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(message);
        } catch (Exception e) {
            LOG.warning("Ignoring a frame on /events/in that is not JSON.");
            return;
        }
        if ("auth".equals(json.path("type").asText()) && !json.has("event")) {
            authenticate(session, json);
            return;
        }
        if (!authenticated) {
            session.close(POLICY_VIOLATION, "Authentication required");
            return;
        }
        try {
            events.receive(json);
        } catch (InvalidRequestException e) {
            LOG.warning("Ignoring an invalid event on /events/in: " + e.errors().entries());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not store an event from /events/in; closing so the client reconnects and resends.", e);
            session.close(WsCloseCodes.UNEXPECTED_CONDITION, "Could not store the event");
        }
    }

    private void authenticate(WsSession session, JsonNode auth) {
        String token = auth.hasNonNull("token") ? auth.get("token").asText() : null;
        if (authString == null || (token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                authString.getBytes(StandardCharsets.UTF_8)))) {
            authenticated = true;
            session.send("{\"type\":\"auth_success\"}", true);
        } else {
            session.close(POLICY_VIOLATION, "Authentication failed");
        }
    }
}
