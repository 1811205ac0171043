package org.openprefect.appliance.rollup;

import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.services.LoopService;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Folds the run changes the triggers recorded into the rollup, every two seconds, in batches of
 * its own transactions so that writers wait for one batch at most. Right after the upgrade to
 * r0009 every existing run is pending (about 35 s per million runs and their task runs on
 * SQLite); its progress is logged.
 */
public final class RollupFolding extends LoopService {
    private static final Logger LOG = Logger.getLogger(RollupFolding.class.getName());
    static final int BATCH = 20_000;

    private final Database db;
    private final RunRollupRepository rollup;

    public RollupFolding(Database db) {
        super("run-rollup", Duration.ofSeconds(2));
        this.db = db;
        this.rollup = new RunRollupRepository(db.dialect());
    }

    @Override
    protected void runOnce() throws SQLException {
        long pending = db.read(rollup::backlog);
        boolean large = pending > 10L * BATCH;
        if (large) {
            LOG.info(String.format("Counting %,d run changes into the rollup (after the upgrade to r0009: once)", pending));
        }
        long folded = 0;
        int batches = 0;
        int last;
        do {
            last = db.write(c -> rollup.fold(c, BATCH));
            folded += last;
            if (large && ++batches % 10 == 0) {
                LOG.info(String.format("Counted %,d of about %,d run changes", folded, pending));
            }
        } while (last == BATCH && !Thread.currentThread().isInterrupted());
        if (large) {
            try (Connection c = db.openDedicatedConnection()) {
                rollup.vacuum(c);
            }
            LOG.info(String.format("Counted %,d run changes into the rollup", folded));
        }
    }
}
