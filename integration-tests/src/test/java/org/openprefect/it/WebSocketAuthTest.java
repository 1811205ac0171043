package org.openprefect.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The websocket handshake with PREFECT_SERVER_API_AUTH_STRING set, as upstream's accept_prefect_socket. */
class WebSocketAuthTest {
    private static final String AUTH = "admin:s3cret";
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-wsauth-"))
                .env("PREFECT_SERVER_API_AUTH_STRING", AUTH));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static EventsSocket.Closed authenticateOut(String authMessage) throws Exception {
        try (EventsSocket socket = EventsSocket.openOut(server.base())) {
            socket.send(authMessage);
            return socket.awaitClosed(10);
        }
    }

    @Test
    void eventsOutChecksTheTokenOfTheAuthMessage() throws Exception {
        try (EventsSocket socket = EventsSocket.openOut(server.base())) {
            assertArrayEquals(new byte[] {1}, socket.ping(new byte[] {1}, 5), "pings are answered before authentication");
            socket.send("{\"type\":\"auth\",\"token\":\"" + AUTH + "\"}");
            assertEquals("{\"type\":\"auth_success\"}", socket.awaitMessages(1, 10).get(0));
        }
        assertEquals(new EventsSocket.Closed(1008, "Invalid token"), authenticateOut("{\"type\":\"auth\",\"token\":\"admin:wrong\"}"));
        assertEquals(new EventsSocket.Closed(1008, "Auth required but no token provided"), authenticateOut("{\"type\":\"auth\",\"token\":null}"));
        assertEquals(new EventsSocket.Closed(1008, "Expected 'auth' message"), authenticateOut("{\"type\":\"filter\",\"filter\":{}}"));
    }

    @Test
    void onlyTheWebsocketEndpointsLetAnUpgradeThroughWithoutCredentials() throws Exception {
        String ws = server.base().replace("http://", "ws://");
        try (RawWebSocket notAWebsocket = new RawWebSocket(ws + "/api/hello")) {
            assertEquals(401, notAWebsocket.status(), "an Upgrade header is no way around Basic auth");
        }
        try (RawWebSocket unknown = new RawWebSocket(ws + "/api/events/elsewhere")) {
            assertEquals(401, unknown.status());
        }
        assertEquals(401, Http.get(server.api("/events/in")).statusCode(), "a plain GET of a websocket path is an API call");
    }

    @Test
    void eventsInTakesLegacyClientsAsUpstreamAndEventsOutNeedsCredentials() throws Exception {
        String base = server.base().replace("http://", "ws://");
        // The 3.4 client's events client: no subprotocol, no header, no auth message. Upstream's
        // /events/in accepts it whatever the auth setting; refusing it would lose every task run.
        try (RawWebSocket anonymous = new RawWebSocket(base + "/api/events/in")) {
            assertEquals(101, anonymous.status());
            anonymous.sendPing(new byte[] {7});
            assertArrayEquals(new byte[] {7}, anonymous.readUntil(RawWebSocket.PONG).payload());
        }
        try (RawWebSocket anonymous = new RawWebSocket(base + "/api/events/out")) {
            assertEquals(101, anonymous.status());
            RawWebSocket.Frame close = anonymous.readUntil(RawWebSocket.CLOSE);
            assertEquals(1002, close.closeCode());
            assertEquals("'prefect' subprotocol required when auth is configured", close.closeReason());
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(AUTH.getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket withHeader = new RawWebSocket(base + "/api/events/out", "Authorization: " + basic)) {
            withHeader.sendPing(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, withHeader.readUntil(RawWebSocket.PONG).payload());
        }
        try (EventsSocket subprotocol = EventsSocket.open(server.base(), true)) {
            subprotocol.send("{\"type\":\"auth\",\"token\":\"" + AUTH + "\"}");
            assertEquals("{\"type\":\"auth_success\"}", subprotocol.awaitMessages(1, 10).get(0));
        }
    }
}
