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

    private Times() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** ISO 8601 with Z, as pydantic writes it (fraction omitted when zero). */
    public static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** How SQLite stores a timestamp: sortable text, UTC, microseconds. */
    public static String sqlite(Instant t) {
        return t == null ? null : SQLITE.format(t);
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
     * The fast path for what we store on SQLite ({@code yyyy-MM-dd HH:mm:ss.SSSSSS}, UTC): read on
     * every row of every query, so it avoids the general formatter. Null for any other shape.
     */
    private static Instant parseStored(String s) {
        if (s.length() != 26 || s.charAt(4) != '-' || s.charAt(10) != ' ' || s.charAt(19) != '.') {
            return null;
        }
        try {
            LocalDateTime t = LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13),
                    digits(s, 14, 16), digits(s, 17, 19), digits(s, 20, 26) * 1000);
            return t.toInstant(ZoneOffset.UTC);
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
