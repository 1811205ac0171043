package org.openprefect.appliance.services;

import org.openprefect.appliance.common.DaemonScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A background loop, as upstream's {@code LoopService}: {@link #runOnce} every interval on a thread
 * of its own, one run at a time (the next starts an interval after the last ended), with up to 10 %
 * jitter so that loops started together drift apart. A failed run is logged and the loop goes on;
 * the last success and the last error are kept for readiness and the operator. A subclass holds only
 * what one run does. With a {@link Leadership}, a pass runs only on the server that holds the loop's
 * lock; the others stand by and check again each interval.
 */
public abstract class LoopService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoopService.class.getName());

    private final String name;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private Leadership leadership = Leadership.alone();
    private volatile Status status = new Status(null, null, null, false);
    /** When the last pass ended (or the loop started): a loop whose pass never ends is stuck. */
    private volatile Instant lastActivity;

    /** What readiness and the dashboard show of a loop; {@code leading} is false while another server runs it. */
    public record Status(Instant lastSuccess, Instant lastFailure, String lastError, boolean leading) {
    }

    protected LoopService(String name, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException(name + ": the loop interval must be positive, not " + interval);
        }
        this.name = name;
        this.interval = interval;
    }

    /** One pass of the loop's work; an exception fails this pass only. */
    protected abstract void runOnce() throws Exception;

    /** How long after {@link #start} the first pass runs: at once, unless a loop has reason to wait. */
    protected Duration firstPassAfter() {
        return Duration.ZERO;
    }

    /**
     * True for a loop about this process itself rather than the shared database: every server runs
     * it, without the loop's lock ({@link Leadership}).
     */
    public boolean runsInEveryServer() {
        return false;
    }

    public String name() {
        return name;
    }

    public Status status() {
        return status;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * True when a started loop has not finished a pass (successful, failed or standing by) for three
     * intervals and a minute: its thread hangs, on a lock or a database that never answers.
     */
    public boolean isStuck(Instant now) {
        Instant last = lastActivity;
        return last != null && scheduler != null && !scheduler.isShutdown()
                && last.plus(interval.multipliedBy(3)).plusSeconds(60).isBefore(now);
    }

    public void start() {
        start(Leadership.alone());
    }

    /** Starts the loop; each pass first asks {@code leadership} whether this server runs it. */
    public synchronized void start(Leadership leadership) {
        if (scheduler != null) {
            return;
        }
        this.leadership = leadership;
        this.lastActivity = Instant.now();
        scheduler = DaemonScheduler.named("service-" + name);
        scheduler.schedule(this::pass, firstPassAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            if (leadership.holds()) {
                runOnce();
                status = new Status(Instant.now(), status.lastFailure(), status.lastError(), true);
            } else {
                status = new Status(status.lastSuccess(), status.lastFailure(), status.lastError(), false);
            }
        } catch (Exception | LinkageError e) {
            status = new Status(status.lastSuccess(), Instant.now(), String.valueOf(e.getMessage()), true);
            LOG.log(Level.WARNING, "Background service " + name + " failed; it runs again in " + interval.toMillis() + " ms.", e);
        }
        lastActivity = Instant.now();
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            long jitter = ThreadLocalRandom.current().nextLong(interval.toMillis() / 10 + 1);
            s.schedule(this::pass, interval.toMillis() + jitter, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops scheduling; a pass under way is interrupted and given up to 5 s; then the lock is given up. */
    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leadership.close();
    }
}
