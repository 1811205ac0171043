package org.openprefect.appliance.schedules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
        ZonedDateTime next = anchorAt.plus(interval.multipliedBy((long) offset));
        long days = interval.toSeconds() / DAY_SECONDS;
        Duration rest = interval.minusDays(days);
        while (next.isBefore(localStart)) {
            next = step(next, days, rest);
        }
        Set<Instant> seen = new LinkedHashSet<>();
        List<ZonedDateTime> dates = new ArrayList<>();
        int counter = 0;
        while (end == null || !next.toInstant().isAfter(end)) {
            if (seen.add(next.toInstant())) {
                dates.add(next);
            }
            if (dates.size() >= n || counter > MAX_ITERATIONS) {
                break;
            }
            counter++;
            next = step(next, days, rest);
        }
        return dates;
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
