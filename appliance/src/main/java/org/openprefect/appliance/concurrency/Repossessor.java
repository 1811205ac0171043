package org.openprefect.appliance.concurrency;

import org.openprefect.appliance.services.LoopService;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Upstream's Repossessor, every {@code PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS} (15 s):
 * leases whose holder stopped renewing them (a crashed task, a killed worker) expire, and their
 * slots come back.
 */
public final class Repossessor extends LoopService {
    private static final Logger LOG = Logger.getLogger(Repossessor.class.getName());

    private final ConcurrencyLimitService limits;

    public Repossessor(ConcurrencyLimitService limits, Duration loop) {
        super("repossessor", loop);
        this.limits = limits;
    }

    @Override
    protected void runOnce() {
        int released = limits.releaseExpiredLeases();
        if (released > 0) {
            LOG.info("Revoked " + released + " expired leases");
        }
    }
}
