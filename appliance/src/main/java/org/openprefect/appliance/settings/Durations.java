package org.openprefect.appliance.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way pydantic reads a timedelta: ISO 8601, plain seconds, or [D days, ]HH:MM:SS. */
public final class Durations {
    private static final Pattern CLOCK = Pattern.compile(
            "^(?:(-?\\d+) days?,?\\s*)?(\\d{1,2}):(\\d{2}):(\\d{2}(?:\\.\\d+)?)$");

    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("input is empty");
        }
        if (s.startsWith("P") || s.startsWith("-P")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid ISO 8601 duration");
            }
        }
        Matcher clock = CLOCK.matcher(s);
        if (clock.matches()) {
            long days = clock.group(1) == null ? 0 : Long.parseLong(clock.group(1));
            BigDecimal seconds = new BigDecimal(clock.group(4));
            return Duration.ofDays(days).plusHours(Long.parseLong(clock.group(2)))
                    .plusMinutes(Long.parseLong(clock.group(3))).plusNanos(seconds.movePointRight(9).longValue());
        }
        try {
            return Duration.ofNanos(new BigDecimal(s).movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid duration format");
        }
    }

    /** Python's str(timedelta): "1:00:00", "7 days, 0:00:00", "0:00:01.500000". */
    public static String pythonText(Duration d) {
        long days = Math.floorDiv(d.getSeconds(), 86_400);
        long rest = Math.floorMod(d.getSeconds(), 86_400);
        String clock = String.format("%d:%02d:%02d", rest / 3600, (rest % 3600) / 60, rest % 60);
        if (d.getNano() != 0) {
            clock += String.format(".%06d", d.getNano() / 1000);
        }
        return days == 0 ? clock : days + (Math.abs(days) == 1 ? " day, " : " days, ") + clock;
    }
}
