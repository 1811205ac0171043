package org.openprefect.appliance.events;

/**
 * What every Prefect websocket of one server is configured with: the auth string (null or empty
 * for none), the server's keepalive, and the longest message a client may send, in characters.
 */
public record WebSocketOptions(String authString, WebSocketKeepalive keepalive, int maxMessageSize) {
    /** The only message allowed before authentication is the auth message: a token, never megabytes. */
    static final int MAX_MESSAGE_SIZE_BEFORE_AUTH = 64 * 1024;
}
