package org.openprefect.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client of {@code /api/events/in}, as the Prefect engine opens it. */
public final class EventsSocket implements AutoCloseable {
    private final WebSocket socket;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private EventsSocket(String url, boolean prefectSubprotocol) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (prefectSubprotocol) {
            builder.subprotocols("prefect");
        }
        socket = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                received.add(data.toString());
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    public static EventsSocket open(String serverBase, boolean prefectSubprotocol) throws Exception {
        return new EventsSocket(serverBase.replace("http://", "ws://") + "/api/events/in", prefectSubprotocol);
    }

    /** {@code /api/events/out}, the stream the UI subscribes to. */
    public static EventsSocket openOut(String serverBase) throws Exception {
        return new EventsSocket(serverBase.replace("http://", "ws://") + "/api/events/out", true);
    }

    /** Waits until at least {@code count} messages arrived. */
    public List<String> awaitMessages(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return received;
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void send(String json) throws Exception {
        socket.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    public List<String> received() {
        return received;
    }

    /** The close code the server sent, waiting up to {@code seconds}. */
    public int awaitClose(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }
}
