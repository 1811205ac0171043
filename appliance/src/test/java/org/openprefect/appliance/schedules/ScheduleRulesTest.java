package org.openprefect.appliance.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openprefect.appliance.common.Json;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run times pinned to upstream's: {@code schedules/expected_dates.json} was written by
 * {@code expected_dates.py} with upstream's algorithm and libraries (croniter, dateutil, zoneinfo);
 * each case is a schedule, a start and how many dates, with the dates upstream computes.
 */
class ScheduleRulesTest {
    private static final DateTimeFormatter PYTHON_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    @TestFactory
    Stream<DynamicTest> runTimesMatchUpstreams() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/schedules/expected_dates.json")) {
            cases = Json.MAPPER.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                ScheduleRule rule = Schedules.rule(Schedules.normalized((ObjectNode) c.get("schedule"), Instant.now()));
                List<String> got = rule.dates(c.get("n").asInt(), Instant.parse(c.get("start").asText()), null).stream()
                        .map(PYTHON_ISO::format).toList();
                List<String> expected = new ArrayList<>();
                c.get("expected").forEach(e -> expected.add(e.asText()));
                assertEquals(expected, got);
            }));
        }
        assertTrue(tests.size() >= 20, "the fixture holds every case");
        return tests.stream();
    }

    @Test
    void anEndBoundsTheDates() {
        ScheduleRule hourly = Schedules.rule(Json.MAPPER.createObjectNode().put("cron", "0 * * * *"));
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        assertEquals(3, hourly.dates(100, start, Instant.parse("2026-12-03T12:00:00Z")).size());
    }

    @Test
    void theIdempotencyKeyTimeIsPythonsStr() {
        assertEquals("2026-12-03 03:00:00+00:00", Schedules.pythonStr(ZonedDateTime.parse("2026-12-03T03:00:00Z")));
        assertEquals("2026-03-08 03:30:00-04:00",
                Schedules.pythonStr(ZonedDateTime.of(2026, 3, 8, 3, 30, 0, 0, ZoneId.of("America/New_York"))));
        assertEquals("2026-12-03 03:00:00.490802+00:00", Schedules.pythonStr(ZonedDateTime.parse("2026-12-03T03:00:00.490802Z")));
    }

    @Test
    void upstreamsValidatorsRefuseWhatTheyRefuse() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        InvalidScheduleException cron = assertThrows(InvalidScheduleException.class,
                () -> Schedules.normalized(f.objectNode().put("cron", "61 * * * *"), Instant.now()));
        assertEquals("cron", cron.field());
        assertEquals("Invalid cron string: \"61 * * * *\"", cron.getMessage());
        assertEquals("Random and Hashed expressions are unsupported, received: \"H * * * *\"", assertThrows(InvalidScheduleException.class,
                () -> Schedules.normalized(f.objectNode().put("cron", "H * * * *"), Instant.now())).getMessage());
        InvalidScheduleException zone = assertThrows(InvalidScheduleException.class,
                () -> Schedules.normalized(f.objectNode().put("cron", "0 * * * *").put("timezone", "Mars/Olympus"), Instant.now()));
        assertEquals("timezone", zone.field());
        assertEquals("Invalid timezone: \"Mars/Olympus\" (specify in IANA tzdata format, for example, America/New_York)", zone.getMessage());
        InvalidScheduleException rrule = assertThrows(InvalidScheduleException.class,
                () -> Schedules.normalized(f.objectNode().put("rrule", "FREQ=SOMETIMES"), Instant.now()));
        assertTrue(rrule.getMessage().startsWith("Invalid RRule string \"FREQ=SOMETIMES\": "), rrule.getMessage());
        assertThrows(InvalidScheduleException.class,
                () -> Schedules.normalized(f.objectNode().put("interval", 0), Instant.now()));
    }

    @Test
    void defaultsAreStoredAsUpstreamsModelsStoreThem() {
        Instant now = Instant.parse("2026-12-03T08:00:00Z");
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertEquals("{\"interval\":60,\"anchor_date\":\"2026-12-03T08:00:00Z\",\"timezone\":\"UTC\"}",
                Schedules.normalized(f.objectNode().put("interval", 60), now).toString());
        assertEquals("{\"cron\":\"0 3 * * *\",\"timezone\":null,\"day_or\":true}",
                Schedules.normalized(f.objectNode().put("cron", "0 3 * * *"), now).toString());
        assertEquals("{\"rrule\":\"FREQ=DAILY\",\"timezone\":\"UTC\"}",
                Schedules.normalized(f.objectNode().put("rrule", "FREQ=DAILY"), now).toString());
    }
}
