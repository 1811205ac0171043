package org.openprefect.appliance.events;

import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

/**
 * {@code /api/events/in}: one event JSON per message, handed as text to this connection's stream of
 * the {@link EventIntake}, which parses and stores them in order, batched; a message that is not an
 * Event is logged and skipped.
 */
public final class EventsInWebSocket extends PrefectWebSocket {
    private final EventIntake intake;
    private EventIntake.Stream stream;

    public EventsInWebSocket(EventIntake intake, WebSocketOptions options) {
        super(options, true);
        this.intake = intake;
    }

    @Override
    protected void onText(WsSession session, String event) {
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
