package org.openprefect.appliance.schedules;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One deployment schedule as upstream evaluates it (prefect/server/schemas/schedules.py, the
 * Python 3.13 branch): interval, cron or rrule, each in its own time zone.
 */
public sealed interface ScheduleRule permits IntervalRule, CronRule, RRuleRule {
    /** Upstream checks at most this many candidates after the start. */
    int MAX_ITERATIONS = 1000;

    /**
     * Up to {@code n} distinct run times on or after {@code start} and, when {@code end} is given,
     * not after it; soonest first, in the schedule's zone (its offset is part of a run's idempotency key).
     */
    List<ZonedDateTime> dates(int n, Instant start, Instant end);

    /**
     * Upstream's generator loop, the same for the three kinds: take candidates in order until one
     * passes {@code end}, skip a time already taken (DST can produce one twice), stop at {@code n}
     * dates or after {@link #MAX_ITERATIONS} candidates. {@code candidates} returns null when it has
     * no more.
     */
    static List<ZonedDateTime> collect(int n, Instant end, Supplier<ZonedDateTime> candidates) {
        Set<Instant> seen = new HashSet<>();
        List<ZonedDateTime> dates = new ArrayList<>();
        int counter = 0;
        for (ZonedDateTime date = candidates.get(); date != null; date = candidates.get()) {
            if (end != null && date.toInstant().isAfter(end)) {
                break;
            }
            if (seen.add(date.toInstant())) {
                dates.add(date);
            }
            if (dates.size() >= n || counter > MAX_ITERATIONS) {
                break;
            }
            counter++;
        }
        dates.sort(null);
        return dates;
    }
}
