package org.openprefect.it.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TestDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and idle clients, and the websockets with auth on, against servers with short limits
 * (PREFECT_SERVER_API_KEEPALIVE_TIMEOUT, _REQUEST_HEADERS_TIMEOUT, _WEBSOCKET_MAX_MESSAGE_SIZE
 * and the ping interval), on SQLite and PostgreSQL.
 */
class ConnectionLimitsTest {
    private static final String AUTH = "admin:hardened";
    private static final Map<String, RunningServer> SERVERS = new HashMap<>();
    private static final List<TestDatabase> DATABASES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (String kind : List.of("sqlite", "postgresql")) {
            Prefect prefect = limited(new Prefect(Files.createTempDirectory("openprefect-limits-" + kind + "-")));
            DATABASES.add(TestDatabase.create(kind, prefect));
            SERVERS.put(kind, RunningServer.start(prefect));
        }
    }

    private static Prefect limited(Prefect prefect) {
        return prefect.env("PREFECT_SERVER_API_AUTH_STRING", AUTH)
                .env("PREFECT_SERVER_API_KEEPALIVE_TIMEOUT", "2")
                .env("PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL", "1")
                .env("PREFECT_SERVER_API_WEBSOCKET_PING_TIMEOUT", "1")
                .env("PREFECT_SERVER_API_REQUEST_HEADERS_TIMEOUT", "2")
                .env("PREFECT_SERVER_API_WEBSOCKET_MAX_MESSAGE_SIZE", "100000");
    }

    @AfterAll
    static void stop() throws Exception {
        for (RunningServer server : SERVERS.values()) {
            server.close();
        }
        for (TestDatabase database : DATABASES) {
            database.close();
        }
    }

    private static RunningServer server(String database) {
        return SERVERS.get(database);
    }

    private static Socket connect(RunningServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(200);
        return socket;
    }

    /**
     * Sends {@code bytes} one at a time, {@code pauseMillis} apart, until the server ends the
     * connection; true when it did before all were sent (a client this slow needs 30 s).
     */
    private static boolean cutOffWhileTrickling(Socket socket, byte[] bytes, int pauseMillis) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (byte b : bytes) {
            try {
                out.write(b);
                out.flush();
                if (in.read() == -1) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                continue;
            } catch (SocketException reset) {
                return true;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aClientSendingItsHeadersSlowlyIsCutOff(String database) throws Exception {
        try (Socket socket = connect(server(database))) {
            socket.getOutputStream().write("GET /api/health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] headers = ("Host: localhost\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            assertTrue(cutOffWhileTrickling(socket, headers, 250), "the server waited for 30 s of headers");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aClientSendingItsRequestLineSlowlyIsCutOff(String database) throws Exception {
        try (Socket socket = connect(server(database))) {
            byte[] requestLine = ("GET /api/health?" + "a".repeat(100) + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII);
            assertTrue(cutOffWhileTrickling(socket, requestLine, 250), "the server waited for 30 s of request line");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void idleConnectionsAreClosed(String database) throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                idle.add(connect(server(database)));
            }
            for (Socket socket : idle) {
                socket.setSoTimeout(20_000);
                assertEquals(-1, socket.getInputStream().read(), "an idle connection is closed by the server");
            }
            // A connection that finished a request and stays silent is closed too.
            try (Socket used = connect(server(database))) {
                used.setSoTimeout(20_000);
                used.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = used.getInputStream().readAllBytes();
                assertTrue(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        assertEquals(200, Http.get(server(database).api("/health")).statusCode(), "the server still serves");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theClientsWebsocketsWorkWithAuthOn(String database) throws Exception {
        PythonClient python = PythonClient.withWebsocketsAndHttpx();
        String id = UUID.randomUUID().toString();
        String event = "{\"id\":\"" + id + "\",\"occurred\":\"" + Instant.now() + "\",\"event\":\"hardening.auth." + id
                + "\",\"resource\":{\"prefect.resource.id\":\"hardening." + id + "\"}}";
        JsonNode report = python.runScript("auth_events_client.py", server(database).api(""), AUTH, event);
        assertEquals("auth_success", report.get("out_auth").asText(), report.toString());
        assertEquals(1000, report.get("in_close_code").asInt(), "/events/in took the client's events without header or auth message");
        assertEquals(id, report.get("streamed").asText());
        assertEquals("[\"" + id + "\"]", report.get("stored").toString());
        assertEquals("[1008,\"Invalid token\"]", report.get("wrong_token_close").toString());
        assertEquals(401, report.get("anonymous_status").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aWebsocketMessageOverTheLimitClosesWith1009(String database) throws Exception {
        String url = server(database).base().replace("http://", "ws://") + "/api/events/in";
        try (RawWebSocket socket = new RawWebSocket(url)) {
            assertEquals(101, socket.status());
            byte[] big = new byte[150_000];
            Arrays.fill(big, (byte) ' ');
            socket.sendFrame(RawWebSocket.TEXT, big, true);
            RawWebSocket.Frame close = socket.readUntil(RawWebSocket.CLOSE);
            assertNotNull(close);
            assertEquals(1009, close.closeCode());
        }
    }
}
