package org.openprefect.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of {@code /api/events/in} or {@code /events/out} on the JDK's websocket, which answers
 * the server's pings by itself; {@link #ping} sends one the way the Python client does and waits
 * for its pong.
 */
public final class EventsSocket implements AutoCloseable {
    private final WebSocket socket;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final List<byte[]> serverPings = new CopyOnWriteArrayList<>();

    /** The server's close frame. */
    public record Closed(int code, String reason) {
    }

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
            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                pongs.add(bytes(message));
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
                serverPings.add(bytes(message.duplicate()));
                return WebSocket.Listener.super.onPing(ws, message);
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return copy;
    }

    /** {@code /api/events/in}; the 3.4 client opens it without a subprotocol. */
    public static EventsSocket open(String serverBase, boolean prefectSubprotocol) throws Exception {
        return new EventsSocket(serverBase.replace("http://", "ws://") + "/api/events/in", prefectSubprotocol);
    }

    /** {@code /api/events/out} with the {@code prefect} subprotocol, as the runner and worker open it. */
    public static EventsSocket openOut(String serverBase) throws Exception {
        return new EventsSocket(serverBase.replace("http://", "ws://") + "/api/events/out", true);
    }

    /** Sends a ping and returns the payload of the pong that answers it (fails after {@code seconds}). */
    public byte[] ping(byte[] payload, int seconds) throws Exception {
        pongs.clear();
        socket.sendPing(ByteBuffer.wrap(payload)).get(10, TimeUnit.SECONDS);
        byte[] pong = pongs.poll(seconds, TimeUnit.SECONDS);
        if (pong == null) {
            throw new AssertionError("no pong within " + seconds + " s");
        }
        return pong;
    }

    /** Pings the server has sent so far (this client answered each). */
    public List<byte[]> serverPings() {
        return serverPings;
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
        return awaitClosed(seconds).code();
    }

    /** The server's close frame, waiting up to {@code seconds}. */
    public Closed awaitClosed(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    /** Sends a normal close and returns the server's answering close frame (the close handshake). */
    public Closed closeHandshake(int seconds) throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        return awaitClosed(seconds);
    }

    /** Closes normally unless the server has closed already (then there is nothing left to say). */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        if (socket.isOutputClosed() || closed.isDone()) {
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (!closed.isDone()) {
                throw e;
            }
        }
    }
}
