package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

import java.util.logging.Logger;

/**
 * {@code /api/events/in}: one event JSON per message, handed to this connection's stream of the
 * {@link EventIntake}, which stores them in order, batched; an event that is not an Event is logged
 * and skipped, as before.
 */
public final class EventsInWebSocket extends PrefectWebSocket {
    private static final Logger LOG = Logger.getLogger(EventsInWebSocket.class.getName());

    private final EventIntake intake;
    private EventIntake.Stream stream;

    public EventsInWebSocket(EventIntake intake, WebSocketOptions options) {
        super(options, true);
        this.intake = intake;
    }

    @Override
    protected void onJson(WsSession session, JsonNode event) {
        if (event == null) {
            LOG.warning("Ignoring a frame on /events/in that is not JSON.");
            return;
        }
        if (stream == null) {
            stream = intake.open(() -> session.close(WsCloseCodes.UNEXPECTED_CONDITION, "Could not store the event"));
        }
        stream.add(event);
    }

    @Override
    protected void onEnd() {
        if (stream != null) {
            stream.end();
        }
    }
}
