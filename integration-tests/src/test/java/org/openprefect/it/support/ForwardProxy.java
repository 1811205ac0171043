package org.openprefect.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP forward proxy on a loopback port: absolute-URI requests for http and CONNECT tunnels
 * for https, piping bytes both ways. It records the first line of every request it handled, so a
 * test can tell whether a client went through it.
 */
public final class ForwardProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public ForwardProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Request lines seen, such as {@code GET http://localhost:4200/api/health HTTP/1.1} or {@code CONNECT localhost:8443 HTTP/1.1}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            requests.add(requestLine);
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hostPort = parts[1].split(":");
                try (Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    pipe(client, upstream, new byte[0]);
                }
                return;
            }
            URI target = URI.create(parts[1]);
            int port = target.getPort() > 0 ? target.getPort() : 80;
            String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            // One request per connection keeps the piping simple: the origin closes after answering.
            StringBuilder rewritten = new StringBuilder(parts[0] + " " + path + " " + parts[2] + "\r\n");
            head.lines().skip(1).filter(h -> !h.isEmpty() && !h.toLowerCase(Locale.ROOT).startsWith("connection:")
                    && !h.toLowerCase(Locale.ROOT).startsWith("proxy-")).forEach(h -> rewritten.append(h).append("\r\n"));
            rewritten.append("Connection: close\r\n\r\n");
            try (Socket upstream = new Socket(target.getHost(), port)) {
                pipe(client, upstream, rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IOException | RuntimeException e) {
            // A client or server hanging up ends the exchange.
        }
    }

    /** Sends {@code first} upstream, then copies both directions until either side closes. */
    private static void pipe(Socket client, Socket upstream, byte[] first) throws IOException {
        upstream.getOutputStream().write(first);
        Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
        copy(client, upstream);
        try {
            back.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
