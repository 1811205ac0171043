package org.openprefect.appliance.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression evaluated as upstream evaluates it with croniter: on the local wall clock of
 * the zone, so a daily 09:00 stays 09:00 across DST; a local time the clocks skip runs that much
 * later (02:30 on a spring-forward night runs at 03:30), and a repeated hour runs once, at its
 * first occurrence (an hourly cron on a fall-back night pauses two hours). {@code day_or} joins
 * day-of-month and day-of-week with OR (cron's rule) or, when false, AND.
 */
public record CronRule(String expression, ZoneId zone, boolean dayOr) implements ScheduleRule {
    private static final CronParser PARSER = new CronParser(definition());

    /**
     * The five cron fields croniter reads, with its names, L, W, # and ?, and the @nicknames.
     * cron-utils matches day of month AND day of week; the OR of {@code day_or} is the earlier of
     * two expressions, one per day field.
     */
    private static CronDefinition definition() {
        CronDefinitionBuilder b = CronDefinitionBuilder.defineCron()
                .withMinutes().withValidRange(0, 59).and()
                .withHours().withValidRange(0, 23).and()
                .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
                .withMonth().withValidRange(1, 12).and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).supportsHash().supportsL()
                .supportsQuestionMark().and()
                .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
                .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
                .withSupportedNicknameHourly();
        return b.instance();
    }

    /** Parses and checks an expression; throws {@link IllegalArgumentException} when cron-utils refuses it. */
    static List<ExecutionTime> parse(String expression, boolean dayOr) {
        String[] fields = expression.strip().split("\\s+");
        boolean bothDaysRestricted = fields.length == 5 && !isAny(fields[2]) && !isAny(fields[4]);
        if (dayOr && bothDaysRestricted) {
            // cron's rule: either day field may match
            return List.of(execution(fields[0] + " " + fields[1] + " " + fields[2] + " " + fields[3] + " *"),
                    execution(fields[0] + " " + fields[1] + " * " + fields[3] + " " + fields[4]));
        }
        return List.of(execution(expression.strip()));
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static ExecutionTime execution(String expression) {
        Cron cron = PARSER.parse(expression).validate();
        return ExecutionTime.forCron(cron);
    }

    /** The earliest next execution of any of the expressions. */
    private static Optional<ZonedDateTime> next(List<ExecutionTime> executions, ZonedDateTime after) {
        return executions.stream().map(e -> e.nextExecution(after)).flatMap(Optional::stream).min(ZonedDateTime::compareTo);
    }

    @Override
    public List<ZonedDateTime> dates(int n, Instant start, Instant end) {
        List<ExecutionTime> executions = parse(expression, dayOr);
        // One second back, so that a start exactly on a run time includes it; a fraction of a
        // second rounds up again, as upstream does before handing the time to croniter.
        ZonedDateTime from = start.atZone(zone).minusSeconds(1);
        if (from.getNano() > 0) {
            from = from.plusSeconds(1);
        }
        // The wall clock as a UTC time: croniter iterates naive local times, with no DST.
        ZonedDateTime[] cursor = {from.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC)};
        return ScheduleRule.collect(n, end, () -> {
            Optional<ZonedDateTime> next = next(executions, cursor[0]);
            if (next.isEmpty()) {
                return null;
            }
            cursor[0] = next.get();
            return ZonedDateTime.ofLocal(cursor[0].toLocalDateTime(), zone, null);
        });
    }
}
