package org.openprefect.appliance.concurrency;

import java.time.Instant;

/**
 * Upstream's slot arithmetic (models/concurrency_limits_v2.py): occupied slots decay at
 * {@code slot_decay_per_second} (a rate limit) and denied slots at that rate, or one per average
 * occupancy when the limit does not decay, since the row was last updated; the wait a refused
 * caller is told follows from the denied slots.
 */
final class SlotArithmetic {
    /** Upstream's OCCUPANCY_SAMPLES_MULTIPLIER: the occupancy average spans limit × 2 releases. */
    static final int OCCUPANCY_SAMPLES_MULTIPLIER = 2;
    static final double MINIMUM_OCCUPANCY_SECONDS_PER_SLOT = 0.1;

    private SlotArithmetic() {
    }

    static int activeAfterDecay(GlobalLimit l, Instant now) {
        return (int) Math.max(0, l.activeSlots() - Math.floor(l.slotDecayPerSecond() * seconds(l.updated(), now)));
    }

    static int deniedAfterDecay(GlobalLimit l, Instant now) {
        double rate = l.slotDecayPerSecond() > 0 ? l.slotDecayPerSecond() : 1.0 / l.avgSlotOccupancySeconds();
        return (int) Math.max(0, l.deniedSlots() - Math.floor(rate * seconds(l.updated(), now)));
    }

    /** The new average occupancy after a release that held {@code slots} for {@code occupancySeconds}. */
    static double averageOccupancy(GlobalLimit l, int slots, double occupancySeconds) {
        double perSlot = Math.max(occupancySeconds / slots, MINIMUM_OCCUPANCY_SECONDS_PER_SLOT);
        double samples = (double) l.limit() * OCCUPANCY_SAMPLES_MULTIPLIER;
        return l.avgSlotOccupancySeconds() + perSlot / samples - l.avgSlotOccupancySeconds() / samples;
    }

    /** How many slots stand in the way of {@code slots} more on this limit, as upstream ranks the blocking limit. */
    static double blockingSlots(GlobalLimit l, int slots) {
        return l.slotDecayPerSecond() > 0 ? slots + l.deniedSlots() : (double) (slots + l.deniedSlots()) / l.limit();
    }

    /** Upstream's Retry-After: the blocking limit's time per slot times its blocking slots. */
    static double retryAfterSeconds(GlobalLimit blocking, int slots) {
        double perSlot = blocking.slotDecayPerSecond() == 0.0 ? blocking.avgSlotOccupancySeconds() : 1.0 / blocking.slotDecayPerSecond();
        return perSlot * blockingSlots(blocking, slots);
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, (to.toEpochMilli() - from.toEpochMilli()) / 1000.0);
    }
}
