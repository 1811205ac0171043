package org.openprefect.appliance.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Schedule objects as upstream's models read them: which kind a JSON object is, the checks its
 * validators make (cron string, rrule string, IANA time zone), the defaults it stores (an interval's
 * anchor is the time of creation, its zone UTC; an rrule's zone UTC; a cron's zone stays null, UTC
 * when evaluated), and the rule that computes its run times.
 */
public final class Schedules {
    /** Upstream's MAX_RRULE_LENGTH: about a year of RDATEs. */
    static final int MAX_RRULE_LENGTH = 6500;
    private static final DateTimeFormatter PYTHON_STR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter PYTHON_STR_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);

    private Schedules() {
    }

    /**
     * Checks a schedule a client sent (already shaped as one of upstream's three schemas) and fills
     * in what upstream's model stores by default; returns the object to store.
     */
    public static ObjectNode normalized(ObjectNode schedule, Instant now) {
        ObjectNode s = schedule.deepCopy();
        if (s.has("interval")) {
            double seconds = s.get("interval").asDouble();
            if (!(seconds > 0)) {
                throw new InvalidScheduleException("interval", "Input should be greater than 0 seconds");
            }
            if (!s.hasNonNull("anchor_date")) {
                s.put("anchor_date", Times.iso(now));
            } else {
                anchor(s);
            }
            if (!s.hasNonNull("timezone")) {
                s.put("timezone", "UTC");
            }
            zone(s, "timezone");
        } else if (s.has("cron")) {
            String cron = s.get("cron").asText();
            if (Arrays.stream(cron.strip().split("\\s+")).anyMatch(token -> token.equalsIgnoreCase("R") || token.equalsIgnoreCase("H"))) {
                throw new InvalidScheduleException("cron", "Random and Hashed expressions are unsupported, received: \"" + cron + "\"");
            }
            try {
                CronRule.parse(cron, s.path("day_or").asBoolean(true));
            } catch (IllegalArgumentException e) {
                throw new InvalidScheduleException("cron", "Invalid cron string: \"" + cron + "\"");
            }
            if (!s.has("timezone")) {
                s.putNull("timezone");
            }
            if (!s.has("day_or")) {
                s.put("day_or", true);
            }
            if (s.hasNonNull("timezone")) {
                zone(s, "timezone");
            }
        } else if (s.has("rrule")) {
            String text = s.get("rrule").asText();
            try {
                RRuleRule.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidScheduleException("rrule", "Invalid RRule string \"" + text + "\": " + e.getMessage());
            }
            if (text.length() > MAX_RRULE_LENGTH) {
                throw new InvalidScheduleException("rrule", "Invalid RRule string \"" + text.substring(0, 40) + "...\"\nMax length is "
                        + MAX_RRULE_LENGTH + ", got " + text.length());
            }
            if (!s.hasNonNull("timezone")) {
                s.put("timezone", "UTC");
            }
            zone(s, "timezone");
        }
        return s;
    }

    /** The rule of a stored schedule. */
    public static ScheduleRule rule(JsonNode s) {
        if (s.has("interval")) {
            double seconds = s.get("interval").asDouble();
            return new IntervalRule(Duration.ofNanos(Math.round(seconds * 1e9)), anchor(s), zone(s, "timezone"));
        }
        if (s.has("cron")) {
            return new CronRule(s.get("cron").asText(), s.hasNonNull("timezone") ? zone(s, "timezone") : ZoneOffset.UTC,
                    s.path("day_or").asBoolean(true));
        }
        if (s.has("rrule")) {
            return new RRuleRule(s.get("rrule").asText(), s.hasNonNull("timezone") ? zone(s, "timezone") : ZoneOffset.UTC);
        }
        throw new InvalidScheduleException("schedule", "Unknown schedule type");
    }

    /** A run time as Python's {@code str(datetime)} writes it, which upstream's idempotency keys of scheduled runs contain. */
    public static String pythonStr(ZonedDateTime at) {
        return (at.getNano() / 1000 == 0 ? PYTHON_STR : PYTHON_STR_MICROS).format(at);
    }

    /** The class name upstream shows as a scheduled run's creator when the schedule has no slug. */
    public static String kind(JsonNode s) {
        return s.has("interval") ? "IntervalSchedule" : s.has("cron") ? "CronSchedule" : "RRuleSchedule";
    }

    private static Instant anchor(JsonNode s) {
        try {
            return Times.parse(s.get("anchor_date").asText());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("anchor_date", "Input should be a valid datetime");
        }
    }

    private static ZoneId zone(JsonNode s, String field) {
        String name = s.get(field).asText();
        try {
            if (!name.contains("/") && !name.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(name)) {
                throw new DateTimeException(name);
            }
            return name.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException(field, "Invalid timezone: \"" + name + "\" (specify in IANA tzdata format, for example, "
                    + "America/New_York)");
        }
    }
}
