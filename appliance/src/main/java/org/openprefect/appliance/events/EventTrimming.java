package org.openprefect.appliance.events;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.SqlWork;
import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Upstream's event persister trims the events older than {@code PREFECT_SERVER_EVENTS_RETENTION_PERIOD}
 * (7 days) every 15 minutes, as does this loop: the oldest few thousand events and their resource
 * rows a transaction, so the single SQLite writer serves requests between batches. Without it the
 * event store grows without end, and every event's write with it.
 */
public final class EventTrimming extends LoopService {
    private static final Logger LOG = Logger.getLogger(EventTrimming.class.getName());
    private static final Duration EVERY = Duration.ofMinutes(15);
    static final int BATCH = 5_000;

    private final Database db;
    private final EventRepository events;
    private final Duration retention;
    private final int batch;

    public EventTrimming(Database db, Duration retention) {
        this(db, retention, EVERY, BATCH);
    }

    EventTrimming(Database db, Duration retention, Duration every, int batch) {
        super("event-trimming", every);
        this.db = db;
        this.events = new EventRepository(db.dialect());
        this.retention = retention;
        this.batch = batch;
    }

    @Override
    protected void runOnce() {
        trim(Times.now().minus(retention));
    }

    /** Deletes every event that occurred before {@code olderThan} and its resource rows; returns how many events. */
    long trim(Instant olderThan) {
        long trimmed = inBatches(olderThan, c -> events.trimOldest(c, olderThan, batch));
        if (trimmed > 0) {
            LOG.info(String.format(Locale.ROOT, "Trimmed %,d events older than %s (PREFECT_SERVER_EVENTS_RETENTION_PERIOD)", trimmed, olderThan));
        }
        return trimmed;
    }

    /** Runs {@code batchDelete} (at most {@link #batch} rows, returning how many went), each its own transaction, until fewer go. */
    private long inBatches(Instant olderThan, SqlWork<Integer> batchDelete) {
        long total = 0;
        int deleted;
        do {
            deleted = db.write(batchDelete);
            total += deleted;
            if (deleted == batch && total % (batch * 20L) == 0) {
                LOG.info(String.format(Locale.ROOT, "Trimming events older than %s: %,d so far", olderThan, total));
            }
        } while (deleted == batch && !Thread.currentThread().isInterrupted());
        return total;
    }
}
