package org.openprefect.appliance.events;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import org.openprefect.appliance.common.DaemonScheduler;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The server's side of websocket keepalive, as uvicorn runs it for upstream
 * ({@code PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL} / {@code _PING_TIMEOUT}, 20 s each): every
 * interval each connection gets a ping with four random bytes; one whose pong has not come back
 * within the timeout is closed with 1011 "keepalive ping timeout" and its socket dropped, so a
 * client that vanished without a close frame does not hold a subscription forever. One instance
 * per server, one scheduler thread for all connections.
 */
public final class WebSocketKeepalive implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebSocketKeepalive.class.getName());
    static final String TIMEOUT_REASON = "keepalive ping timeout";

    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random = new SecureRandom();

    /** A zero or negative interval turns server pings off (the connections still answer the client's pings). */
    public WebSocketKeepalive(Duration interval, Duration timeout) {
        this.interval = interval;
        this.timeout = timeout;
        this.scheduler = DaemonScheduler.named("websocket-keepalive");
    }

    /** Starts pinging one connection; the returned handle is told of pongs and of the end of the connection. */
    Liveness watch(WsSession session) {
        Liveness liveness = new Liveness(session);
        if (!interval.isZero() && !interval.isNegative()) {
            liveness.pinging = scheduler.scheduleAtFixedRate(liveness::ping,
                    interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return liveness;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One connection's keepalive state. */
    final class Liveness {
        private final WsSession session;
        private volatile ScheduledFuture<?> pinging;
        private volatile long lastPongNanos = System.nanoTime();
        private volatile boolean ended;

        private Liveness(WsSession session) {
            this.session = session;
        }

        /** Any pong counts: websockets acknowledges every earlier ping with the latest pong too. */
        void pongReceived() {
            lastPongNanos = System.nanoTime();
        }

        void ended() {
            ended = true;
            ScheduledFuture<?> p = pinging;
            if (p != null) {
                p.cancel(false);
            }
        }

        private void ping() {
            if (ended) {
                return;
            }
            byte[] payload = new byte[4];
            random.nextBytes(payload);
            long sentAt = System.nanoTime();
            try {
                session.ping(BufferData.create(payload));
            } catch (RuntimeException e) {
                ended();
                return;
            }
            scheduler.schedule(() -> checkPong(sentAt), Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }

        private void checkPong(long pingSentAt) {
            if (ended || lastPongNanos - pingSentAt >= 0) {
                return;
            }
            LOG.info("Closing a websocket whose client did not answer a ping within " + timeout.toMillis() + " ms.");
            ended();
            try {
                session.close(WsCloseCodes.UNEXPECTED_CONDITION, TIMEOUT_REASON);
            } catch (RuntimeException ignored) {
                // The socket may be gone already; it is dropped below either way.
            }
            if (session instanceof ServerConnection connection) {
                // Interrupting the reader closes the socket of a client that will never send its close frame.
                connection.close(true);
            }
        }
    }
}
