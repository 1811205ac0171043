package org.openprefect.appliance.common;

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
        String s = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        }
    }

    public static double seconds(Instant from, Instant to) {
        return ChronoUnit.MICROS.between(from, to) / 1_000_000.0;
    }
}
