package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.http.Json;

import java.util.Optional;

/**
 * What Prefect's websockets share: the {@code prefect} subprotocol and in-band auth
 * ({@link WebSocketAuth}), frames joined into whole messages, and JSON parsing. Subclasses get
 * each authenticated JSON message. One instance per connection.
 */
abstract class PrefectWebSocket implements WsListener {
    private final WebSocketAuth auth;
    private final StringBuilder partial = new StringBuilder();

    PrefectWebSocket(String authString) {
        this.auth = new WebSocketAuth(authString);
    }

    /** An authenticated message, parsed; {@code null} when the frame was not JSON. */
    protected abstract void onJson(WsSession session, JsonNode message);

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
            json = null;
        }
        if (json != null && WebSocketAuth.isAuthMessage(json)) {
            auth.authenticate(session, json);
        } else if (!auth.authenticated()) {
            session.close(WebSocketAuth.POLICY_VIOLATION, "Authentication required");
        } else {
            onJson(session, json);
        }
    }
}
