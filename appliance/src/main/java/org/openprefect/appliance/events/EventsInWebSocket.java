package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.http.InvalidRequestException;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code /api/events/in}: one event JSON per message, stored before the next message is read. */
public final class EventsInWebSocket extends PrefectWebSocket {
    private static final Logger LOG = Logger.getLogger(EventsInWebSocket.class.getName());

    private final EventService events;

    public EventsInWebSocket(EventService events, WebSocketOptions options) {
        super(options, true);
        this.events = events;
    }

    @Override
    protected void onJson(WsSession session, JsonNode event) {
        if (event == null) {
            LOG.warning("Ignoring a frame on /events/in that is not JSON.");
            return;
        }
        try {
            events.receive(event);
        } catch (InvalidRequestException e) {
            LOG.warning("Ignoring an invalid event on /events/in: " + e.errors().entries());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not store an event from /events/in; closing so the client reconnects and resends.", e);
            session.close(WsCloseCodes.UNEXPECTED_CONDITION, "Could not store the event");
        }
    }
}
