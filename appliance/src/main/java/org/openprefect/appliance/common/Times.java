package org.openprefect.appliance.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps as upstream handles them: UTC, microsecond precision, ISO 8601 with Z on the wire. */
public final class Times {
    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /** What one unit of a fraction of n digits is in nanoseconds. */
    private static final int[] NANOS_PER_DIGIT = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private Times() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** ISO 8601 with Z, as pydantic writes it (fraction omitted when zero). */
    public static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).toString();
    }

    /**
     * How SQLite stores a timestamp: sortable text, UTC, microseconds ({@code yyyy-MM-dd HH:mm:ss.SSSSSS}).
     * Written by hand for the years 1–9999 (every row written has several; the formatter was a tenth
     * of a task-run event's preparation), by {@link DateTimeFormatter} outside them.
     */
    public static String sqlite(Instant t) {
        if (t == null) {
            return null;
        }
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        if (d.getYear() < 1 || d.getYear() > 9999) {
            return SQLITE.format(t);
        }
        char[] out = new char[26];
        put(out, 0, d.getYear(), 4);
        out[4] = '-';
        put(out, 5, d.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, d.getDayOfMonth(), 2);
        out[10] = ' ';
        put(out, 11, d.getHour(), 2);
        out[13] = ':';
        put(out, 14, d.getMinute(), 2);
        out[16] = ':';
        put(out, 17, d.getSecond(), 2);
        out[19] = '.';
        put(out, 20, d.getNano() / 1000, 6);
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Reads ISO 8601 with any offset; a value without one is UTC, as upstream treats naive input. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant stored = parseStored(text);
        if (stored != null) {
            return stored;
        }
        String s = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        }
    }

    /**
     * The fast path for the shapes nearly every timestamp has: what we store on SQLite
     * ({@code yyyy-MM-dd HH:mm:ss.SSSSSS}, read on every row of every query) and what clients send
     * ({@code yyyy-MM-ddTHH:mm:ss[.fraction]} with {@code Z}, {@code ±HH:MM} or nothing; several in
     * every event). Null for any other shape, which the general parser then reads.
     */
    private static Instant parseStored(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        try {
            int at = 19;
            int nanos = 0;
            if (at < n && s.charAt(at) == '.') {
                int from = ++at;
                while (at < n && at - from < 9 && Character.isDigit(s.charAt(at))) {
                    at++;
                }
                if (at == from) {
                    return null;
                }
                nanos = digits(s, from, at) * NANOS_PER_DIGIT[at - from];
            }
            int offsetSeconds = 0;
            if (at < n && s.charAt(at) == 'Z' && at + 1 == n) {
                at++;
            } else if (at + 6 == n && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
                int sign = s.charAt(at) == '-' ? -1 : 1;
                offsetSeconds = sign * (digits(s, at + 1, at + 3) * 3600 + digits(s, at + 4, at + 6) * 60);
                at = n;
            }
            if (at != n) {
                return null;
            }
            LocalDateTime t = LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13),
                    digits(s, 14, 16), digits(s, 17, 19), nanos);
            return t.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds)).truncatedTo(ChronoUnit.MICROS);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public static double seconds(Instant from, Instant to) {
        return ChronoUnit.MICROS.between(from, to) / 1_000_000.0;
    }
}
