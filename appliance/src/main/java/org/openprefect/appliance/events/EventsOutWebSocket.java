package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.common.Json;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/events/out}: after {@code {"type":"filter","filter":...,"backfill":true}} the
 * client gets the matching events of the last {@code PREFECT_SERVER_EVENTS_MAXIMUM_WEBSOCKET_BACKFILL}
 * (oldest first), then every new matching event as {@code {"type":"event","event":...}}.
 */
public final class EventsOutWebSocket extends PrefectWebSocket {
    private final EventService events;
    private final EventBus bus;
    private final Duration backfillWindow;
    private final int backfillLimit;
    private final Set<String> sent = new HashSet<>();
    private Runnable unsubscribe = () -> { };
    private JsonNode filter;

    public EventsOutWebSocket(EventService events, EventBus bus, WebSocketOptions options, Duration backfillWindow, int backfillLimit) {
        super(options, false);
        this.events = events;
        this.bus = bus;
        this.backfillWindow = backfillWindow;
        this.backfillLimit = backfillLimit;
    }

    @Override
    protected void onText(WsSession session, String message) {
        JsonNode json = Json.parseOrNull(message);
        if (json == null || !"filter".equals(json.path("type").asText()) || filter != null) {
            session.close(WsCloseCodes.PROTOCOL_ERROR, "Expected a filter message");
            return;
        }
        filter = json.path("filter").isObject() ? json.get("filter") : JsonNodeFactory.instance.objectNode();
        // Subscribe first so nothing stored during the backfill is missed; duplicates are skipped by id.
        unsubscribe = bus.subscribe(ids -> deliver(session, events.matching(filter, ids)));
        if (json.path("backfill").asBoolean(true)) {
            deliver(session, events.backfill(filter, backfillWindow, backfillLimit));
        }
    }

    private synchronized void deliver(WsSession session, List<Event> found) {
        for (Event event : found) {
            if (sent.add(event.id().toString())) {
                ObjectNode message = JsonNodeFactory.instance.objectNode();
                message.put("type", "event");
                message.set("event", event.toJson());
                session.send(message.toString(), true);
            }
        }
    }

    @Override
    protected void onEnd() {
        unsubscribe.run();
    }
}
