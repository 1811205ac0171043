package org.openprefect.appliance.schedules;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

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
}
