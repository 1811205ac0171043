package org.openprefect.appliance.schedules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Every {@code interval} from {@code anchor}. As upstream: the whole days of an interval are added
 * on the local clock (a daily schedule keeps its hour across DST), the rest in exact time (an hourly
 * one follows UTC, so a fall-back night has two runs at 01:00 local).
 */
public record IntervalRule(Duration interval, Instant anchor, ZoneId zone) implements ScheduleRule {
    private static final long DAY_SECONDS = 86_400;

    @Override
    public List<ZonedDateTime> dates(int n, Instant start, Instant end) {
        ZonedDateTime anchorAt = anchor.atZone(zone);
        ZonedDateTime localStart = start.atZone(zone);
        double offset = seconds(Duration.between(anchorAt, localStart)) / seconds(interval);
        ZonedDateTime first = anchorAt.plus(interval.multipliedBy((long) offset));
        long days = interval.toSeconds() / DAY_SECONDS;
        Duration rest = interval.minusDays(days);
        while (first.isBefore(localStart)) {
            first = step(first, days, rest);
        }
        ZonedDateTime[] next = {null, first};
        return ScheduleRule.collect(n, end, () -> {
            next[0] = next[1];
            next[1] = step(next[1], days, rest);
            return next[0];
        });
    }

    /**
     * whenever's {@code add(days=, seconds=)}, which follows Temporal: with no whole days, exact time
     * only; otherwise the days on the local clock (a repeated time takes its first occurrence, a
     * skipped one moves forward), then the rest in exact time.
     */
    private ZonedDateTime step(ZonedDateTime from, long days, Duration rest) {
        if (days == 0) {
            return from.plus(rest);
        }
        return ZonedDateTime.ofLocal(from.toLocalDateTime().plusDays(days), zone, null).plus(rest);
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
