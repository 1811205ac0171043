package org.openprefect.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own pings (PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL / _TIMEOUT, shortened here to
 * one second): a client that answers them stays connected, one that does not is closed with 1011.
 */
class WebSocketKeepaliveTest {
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(new Prefect(Files.createTempDirectory("openprefect-keepalive-"))
                .env("PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL", "1")
                .env("PREFECT_SERVER_API_WEBSOCKET_PING_TIMEOUT", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aClientThatNeverAnswersPingsIsClosedWithKeepalivePingTimeout() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(server.base().replace("http://", "ws://") + "/api/events/in")) {
            assertEquals(101, ws.status());
            RawWebSocket.Frame ping = ws.read();
            assertEquals(RawWebSocket.PING, ping.opcode(), "the server pings first");
            assertEquals(4, ping.payload().length, "with four random bytes, as websockets does");
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertNotNull(close, "the server closes an unresponsive client");
            assertEquals(1011, close.closeCode());
            assertEquals("keepalive ping timeout", close.closeReason());
            ws.setReadTimeoutMillis(10_000);
            assertNull(ws.read(), "and drops its TCP connection without waiting for a close frame");
        }
    }

    @Test
    void aClientThatAnswersStaysConnectedAndServed() throws Exception {
        try (EventsSocket socket = EventsSocket.openOut(server.base())) {
            Thread.sleep(3_500);
            assertTrue(socket.serverPings().size() >= 2, "pings every second: " + socket.serverPings().size());
            socket.send("{\"type\":\"auth\",\"token\":null}");
            assertEquals("{\"type\":\"auth_success\"}", socket.awaitMessages(1, 10).get(0));
            assertArrayEquals(new byte[] {5, 4, 3, 2}, socket.ping(new byte[] {5, 4, 3, 2}, 5));
            assertEquals(1000, socket.closeHandshake(10).code());
        }
    }
}
