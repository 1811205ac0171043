package org.openprefect.appliance.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import org.openprefect.appliance.common.DaemonScheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Disconnects a client that sends a request's headers too slowly (a slow-loris client sending a
 * byte a second). Helidon's socket read timeout restarts with every byte and its idle timeout only
 * covers the wait for a request line, so this listener notes when a request line has arrived and
 * interrupts the connection's thread if the headers have not all arrived within the timeout;
 * an interrupted read closes the socket, as Helidon's own idle handler closes one. One instance
 * per server, one daemon thread checking once a second.
 */
public final class RequestHeadersTimeout implements Http1ConnectionListener, AutoCloseable {
    private final long timeoutNanos;
    private final Map<Thread, Long> awaitingHeaders = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker;

    public RequestHeadersTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.checker = DaemonScheduler.named("request-headers-timeout");
        checker.scheduleAtFixedRate(this::disconnectLate, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        awaitingHeaders.put(Thread.currentThread(), System.nanoTime());
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        awaitingHeaders.remove(Thread.currentThread());
    }

    private void disconnectLate() {
        long now = System.nanoTime();
        awaitingHeaders.forEach((thread, since) -> {
            // remove(key, value) so headers that arrived in the meantime win the race
            if (now - since > timeoutNanos && awaitingHeaders.remove(thread, since)) {
                thread.interrupt();
            }
        });
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
