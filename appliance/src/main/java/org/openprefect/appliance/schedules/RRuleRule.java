package org.openprefect.appliance.schedules;

import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An iCalendar recurrence (RFC 5545: RRULE lines, EXRULE, RDATE, EXDATE, DTSTART) evaluated as
 * upstream evaluates it with dateutil: every date-time in the text is a wall-clock time of the
 * schedule's zone (upstream replaces whatever zone the text names), DTSTART defaults to
 * 2020-01-01T00:00, a repeated hour runs at its first occurrence, and a local time the clocks skip
 * takes the offset after the change (02:30 on a New York spring-forward night is 01:30 EST), as
 * dateutil's time zones read it.
 */
public record RRuleRule(String text, ZoneId zone) implements ScheduleRule {
    private static final LocalDateTime DEFAULT_START = LocalDateTime.of(2020, 1, 1, 0, 0);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    /** How far an offset change can move a wall-clock time, with room to spare. */
    private static final int MARGIN_HOURS = 3;

    /** The parts of the text. */
    record Parts(LocalDateTime start, List<RecurrenceRule> rules, List<RecurrenceRule> exclusionRules, List<LocalDateTime> dates,
                 List<LocalDateTime> excludedDates) {
    }

    /** Parses the text; throws {@link IllegalArgumentException} with the reason when it is not a recurrence. */
    static Parts parse(String text) {
        LocalDateTime start = DEFAULT_START;
        List<RecurrenceRule> rules = new ArrayList<>();
        List<RecurrenceRule> exclusions = new ArrayList<>();
        List<LocalDateTime> dates = new ArrayList<>();
        List<LocalDateTime> excluded = new ArrayList<>();
        for (String raw : text.strip().split("\\r?\\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "RRULE" : line.substring(0, colon).split(";")[0].toUpperCase();
            String value = colon < 0 ? line : line.substring(colon + 1);
            switch (name) {
                case "DTSTART" -> start = localTime(value);
                case "RRULE" -> rules.add(rule(value));
                case "EXRULE" -> exclusions.add(rule(value));
                case "RDATE" -> dates.addAll(localTimes(value));
                case "EXDATE" -> excluded.addAll(localTimes(value));
                default -> throw new IllegalArgumentException("unsupported property " + name);
            }
        }
        if (rules.isEmpty() && dates.isEmpty()) {
            throw new IllegalArgumentException("empty property name");
        }
        return new Parts(start, rules, exclusions, dates, excluded);
    }

    @Override
    public List<ZonedDateTime> dates(int n, Instant start, Instant end) {
        Parts parts = parse(text);
        Set<LocalDateTime> excluded = new HashSet<>(parts.excludedDates());
        for (RecurrenceRule exclusion : parts.exclusionRules()) {
            excluded.addAll(occurrences(exclusion, parts.start(), start, end, n));
        }
        TreeSet<LocalDateTime> candidates = new TreeSet<>(parts.dates());
        for (RecurrenceRule rule : parts.rules()) {
            candidates.addAll(occurrences(rule, parts.start(), start, end, n + excluded.size()));
        }
        Iterator<ZonedDateTime> due = candidates.stream().filter(wall -> !excluded.contains(wall)).map(this::resolve)
                .filter(date -> !date.toInstant().isBefore(start)).iterator();
        return ScheduleRule.collect(n, end, () -> due.hasNext() ? due.next() : null);
    }

    /**
     * A rule's wall-clock occurrences from its DTSTART, from a little before {@code start} (offset
     * changes move a wall time by hours, never more) and at most {@code n} and a few more.
     */
    private List<LocalDateTime> occurrences(RecurrenceRule rule, LocalDateTime dtstart, Instant start, Instant end, int n) {
        LocalDateTime from = LocalDateTime.ofInstant(start, zone).minusHours(MARGIN_HOURS);
        LocalDateTime until = end == null ? null : LocalDateTime.ofInstant(end, zone).plusHours(MARGIN_HOURS);
        RecurrenceRuleIterator it = rule.iterator(dateTime(dtstart));
        if (from.isAfter(dtstart)) {
            it.fastForward(dateTime(from));
        }
        List<LocalDateTime> found = new ArrayList<>();
        while (it.hasNext() && found.size() <= n + MARGIN_HOURS * 4 && found.size() <= MAX_ITERATIONS + MARGIN_HOURS * 4) {
            DateTime d = it.nextDateTime();
            LocalDateTime wall = LocalDateTime.of(d.getYear(), d.getMonth() + 1, d.getDayOfMonth(), d.getHours(), d.getMinutes(),
                    d.getSeconds());
            if (until != null && wall.isAfter(until)) {
                break;
            }
            if (!wall.isBefore(from)) {
                found.add(wall);
            }
        }
        return found;
    }

    /** lib-recur's floating (zone-less) date-time; its months count from 0. */
    private static DateTime dateTime(LocalDateTime t) {
        return new DateTime(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    }

    /** dateutil's reading of a wall-clock time: the first of a repeated hour; in a gap, the offset after the change. */
    private ZonedDateTime resolve(LocalDateTime wall) {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(wall);
        if (!offsets.isEmpty()) {
            return ZonedDateTime.ofLocal(wall, zone, offsets.get(0));
        }
        ZoneOffsetTransition gap = zone.getRules().getTransition(wall);
        return wall.atOffset(gap.getOffsetAfter()).atZoneSameInstant(zone);
    }

    private static RecurrenceRule rule(String value) {
        try {
            // A UTC UNTIL is read as wall-clock time too, as upstream replaces its zone.
            return new RecurrenceRule(value.strip().replaceAll("(?i)(UNTIL=\\d{8}T\\d{6})Z", "$1"));
        } catch (InvalidRecurrenceRuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<LocalDateTime> localTimes(String value) {
        List<LocalDateTime> times = new ArrayList<>();
        for (String v : value.split(",")) {
            times.add(localTime(v));
        }
        return times;
    }

    private static LocalDateTime localTime(String value) {
        String v = value.strip();
        if (v.endsWith("Z") || v.endsWith("z")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.length() == 8) {
            v = v + "T000000";
        }
        try {
            return LocalDateTime.parse(v, LOCAL);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown string format: " + value.strip(), e);
        }
    }
}
