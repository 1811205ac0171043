package org.openprefect.appliance.events;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.common.Json;

import java.util.Optional;

/**
 * What Prefect's websockets share: the handshake ({@link WebSocketAuth}), pongs for the client's
 * pings (RFC 6455 5.5.2; the Python client pings right after connecting and waits for the pong
 * before it sends anything), the server's own keepalive pings ({@link WebSocketKeepalive}),
 * frames joined into whole messages. Subclasses get each authenticated message as text (parsing it
 * where they need it: {@code /events/in} queues the text and parses it off the socket's thread) and
 * the end of the connection. A message longer than the configured size (the auth
 * message: 64 KiB) closes the connection with 1009 before it is buffered. One instance per connection.
 */
abstract class PrefectWebSocket implements WsListener {
    /** RFC 6455 close code 1009; Helidon names no constant for it. */
    static final int MESSAGE_TOO_BIG = 1009;

    private final WebSocketAuth auth;
    private final WebSocketKeepalive keepalive;
    private final int maxMessageSize;
    private final StringBuilder partial = new StringBuilder();
    private boolean refused;
    private volatile WebSocketKeepalive.Liveness liveness;

    /** {@code legacyClientsWithoutAuth}: see {@link WebSocketAuth}; only {@code /events/in} takes them. */
    PrefectWebSocket(WebSocketOptions options, boolean legacyClientsWithoutAuth) {
        this.auth = new WebSocketAuth(options.authString(), legacyClientsWithoutAuth);
        this.keepalive = options.keepalive();
        this.maxMessageSize = options.maxMessageSize();
    }

    /** An authenticated message, whole, as text ({@link Json#parseOrNull} reads it). */
    protected abstract void onText(WsSession session, String message);

    /** The connection ended, whichever side closed it or failed. */
    protected void onEnd() {
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        return auth.upgrade(headers);
    }

    @Override
    public void onOpen(WsSession session) {
        liveness = keepalive.watch(session);
        auth.opened(session);
    }

    @Override
    public void onPing(WsSession session, BufferData payload) {
        session.pong(payload);
    }

    @Override
    public void onPong(WsSession session, BufferData payload) {
        WebSocketKeepalive.Liveness l = liveness;
        if (l != null) {
            l.pongReceived();
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (refused) {
            return;
        }
        int limit = auth.authenticated() ? maxMessageSize : Math.min(maxMessageSize, WebSocketOptions.MAX_MESSAGE_SIZE_BEFORE_AUTH);
        if (partial.length() + text.length() > limit) {
            // Refused before it is buffered: an unfinished message must not grow the heap (RFC 6455 1009).
            refused = true;
            partial.setLength(0);
            partial.trimToSize();
            session.close(MESSAGE_TOO_BIG, "Message too big");
            return;
        }
        String message;
        if (last && partial.isEmpty()) {
            // A message in one frame, as the clients send them: taken as it is, not copied twice.
            message = text;
        } else {
            partial.append(text);
            if (!last) {
                return;
            }
            message = partial.toString();
            partial.setLength(0);
        }
        if (auth.authenticated()) {
            onText(session, message);
        } else {
            auth.authenticate(session, Json.parseOrNull(message));
        }
    }

    @Override
    public final void onClose(WsSession session, int status, String reason) {
        end();
    }

    @Override
    public final void onError(WsSession session, Throwable t) {
        end();
    }

    private void end() {
        WebSocketKeepalive.Liveness l = liveness;
        if (l != null) {
            l.ended();
        }
        onEnd();
    }
}
