package org.openprefect.it.runs;

import org.junit.jupiter.api.Test;
import org.openprefect.it.support.SharedServers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client's HTTP libraries do on the wire beyond one request per connection (traces/):
 * keep-alive, pipelining, {@code Expect: 100-continue}, chunked and gzip uploads, gzip answers
 * over 1000 bytes, and {@code Connection: close}, on bare sockets so nothing is smoothed over.
 */
class HttpWireTest {
    private static Socket connect() throws Exception {
        URI base = URI.create(SharedServers.sqlite().base());
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Everything the server sends within {@code quietMillis} of silence, or until it closes. */
    private static String readAvailable(Socket socket, int quietMillis) throws IOException {
        socket.setSoTimeout(quietMillis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[65536];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // The server is waiting for the next request.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void send(Socket socket, String head, byte[] body) throws IOException {
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /api/health HTTP/1.1\r\nHost: t\r\n\r\nGET /api/version HTTP/1.1\r\nHost: t\r\n\r\n", new byte[0]);
            String both = readAvailable(socket, 1500);
            assertEquals(2, count(both, "HTTP/1.1 200 OK"), both);
            assertTrue(both.indexOf("true") < both.indexOf("\"0.8.4\""), "answers in request order: " + both);
            send(socket, "GET /api/health HTTP/1.1\r\nHost: t\r\n\r\n", new byte[0]);
            assertTrue(readAvailable(socket, 1500).startsWith("HTTP/1.1 200 OK"), "the connection stays open for more");
        }
    }

    @Test
    void expectContinueAndChunkedUploadsAreRead() throws Exception {
        byte[] body = ("{\"name\":\"wire-" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            send(socket, "POST /api/flows/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n", new byte[0]);
            assertTrue(readAvailable(socket, 1500).startsWith("HTTP/1.1 100 Continue"), "100 Continue before the body is sent");
            send(socket, "", body);
            assertTrue(readAvailable(socket, 1500).startsWith("HTTP/1.1 201 Created"));
            String chunk = Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";
            send(socket, "POST /api/flows/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                    chunk.getBytes(StandardCharsets.UTF_8));
            String again = readAvailable(socket, 1500);
            assertTrue(again.startsWith("HTTP/1.1 200 OK"), "the same flow, read from a chunked body: " + again);
        }
    }

    @Test
    void gzipUploadsAreDecodedAndCorruptOnesAre400() throws Exception {
        String name = "gzip-" + UUID.randomUUID();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        try (Socket socket = connect()) {
            send(socket, "POST /api/flows/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + compressed.size() + "\r\n\r\n", compressed.toByteArray());
            String created = readAvailable(socket, 1500);
            assertTrue(created.startsWith("HTTP/1.1 201 Created") && created.contains(name), created);
            byte[] corrupt = "not gzip at all".getBytes(StandardCharsets.US_ASCII);
            send(socket, "POST /api/flows/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + corrupt.length + "\r\n\r\n", corrupt);
            String refused = readAvailable(socket, 1500);
            assertTrue(refused.startsWith("HTTP/1.1 400 Bad Request"), refused);
            assertTrue(refused.endsWith("{\"detail\":\"There was an error parsing the body\"}"), refused);
        }
    }

    @Test
    void answersOf1000BytesOrMoreAreGzippedForClientsThatAcceptIt() throws Exception {
        String json = "{\"name\":\"big-" + UUID.randomUUID() + "\",\"tags\":[\"" + "t".repeat(1200) + "\"]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            send(socket, "POST /api/flows/ HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip, deflate\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n", body);
            String raw = readAvailable(socket, 1500);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            assertTrue(head.contains("Content-Encoding: gzip") && head.contains("Vary: Accept-Encoding"), head);
            byte[] gz = raw.substring(raw.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
            String decoded = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(decoded.contains("t".repeat(1200)), decoded);
            send(socket, "GET /api/health HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n", new byte[0]);
            String small = readAvailable(socket, 1500);
            assertTrue(!small.contains("Content-Encoding") && small.endsWith("true"), "small answers stay plain: " + small);
        }
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", new byte[0]);
            socket.setSoTimeout(5_000);
            byte[] all = socket.getInputStream().readAllBytes(); // returns only when the server closes
            String answer = new String(all, StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200 OK") && answer.contains("Connection: close") && answer.endsWith("true"), answer);
        }
        try (Socket socket = connect()) {
            send(socket, "GET /api/no/such/route HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", new byte[0]);
            socket.setSoTimeout(5_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 404") && answer.endsWith("{\"detail\":\"Not Found\"}"), answer);
        }
    }
}
