package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.Json;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /api/events/in}: one event JSON per text frame, stored before the next frame is read.
 * One listener per connection.
 */
public final class EventsInWebSocket implements WsListener {
    private static final Logger LOG = Logger.getLogger(EventsInWebSocket.class.getName());

    private final EventService events;
    private final WebSocketAuth auth;
    private final StringBuilder partial = new StringBuilder();

    public EventsInWebSocket(EventService events, String authString) {
        this.events = events;
        this.auth = new WebSocketAuth(authString);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        return auth.upgrade(headers);
    }

    @Override
    public void onOpen(WsSession session) {
        if (!auth.acceptableOnOpen()) {
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
        if (WebSocketAuth.isAuthMessage(json)) {
            auth.authenticate(session, json);
            return;
        }
        if (!auth.authenticated()) {
            session.close(WebSocketAuth.POLICY_VIOLATION, "Authentication required");
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
}
