package org.openprefect.appliance.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written fast paths of {@link Times} give what java.time's formatter and parser give. */
class TimesTest {
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @Test
    void storedTextAndItsParseAgreeWithJavaTimeOverRandomInstants() {
        Random random = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
            String text = Times.sqlite(t);
            assertEquals(STORED.format(t), text);
            assertEquals(t.truncatedTo(ChronoUnit.MICROS), Times.parse(text), text);
            String iso = OffsetDateTime.ofInstant(t, ZoneOffset.ofHoursMinutes(random.nextInt(-12, 13), 0)).toString();
            assertEquals(OffsetDateTime.parse(iso).toInstant().truncatedTo(ChronoUnit.MICROS), Times.parse(iso), iso);
        }
    }

    @Test
    void wireShapesParseAsTheGeneralParserReadsThem() {
        for (String s : List.of("2026-12-06T10:00:00Z", "2026-12-06T10:00:00.1Z", "2026-12-06T10:00:00.123456Z",
                "2026-12-06T10:00:00.123456789Z", "2026-12-06T10:00:00.123456+00:00", "2026-12-06T23:30:00-05:30",
                "2026-12-06T10:00:00.5+14:00")) {
            assertEquals(OffsetDateTime.parse(s).toInstant().truncatedTo(ChronoUnit.MICROS), Times.parse(s), s);
        }
        assertEquals(Instant.parse("2026-12-06T10:00:00.123456Z"), Times.parse("2026-12-06 10:00:00.123456"), "naive input is UTC");
        assertEquals(Instant.parse("2026-12-06T10:00:00Z"), Times.parse("2026-12-06T10:00:00"));
        assertEquals(Instant.parse("2026-12-06T10:00:00.250Z"), Times.parse("2026-12-06T10:00:00.25+0000".replace("+0000", "Z")));
    }

    @Test
    void malformedTextIsRefusedAsBefore() {
        for (String s : List.of("2026-13-06T10:00:00Z", "2026-12-06T25:00:00Z", "2026-12-06X10:00:00Z",
                "2026-12-06T10:00:00Zjunk", "not a time")) {
            assertThrows(DateTimeParseException.class, () -> Times.parse(s), s);
        }
    }
}
