package org.openprefect.appliance.events;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseUrl;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EventTrimming} on a real SQLite file, in batches smaller than what it deletes. */
class EventTrimmingTest {
    @TempDir
    Path temp;
    Database db;
    EventService events;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("events.db"))));
        db.migrateToHead("test");
        events = new EventService(db, new EventBus(), List.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void everyEventBeforeTheCutoffGoesBatchByBatchWithItsResourceRows() throws Exception {
        Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            events.receive(Json.MAPPER.readTree(event(cutoff.minusSeconds(60 + i))));
        }
        events.receive(Json.MAPPER.readTree(event(cutoff)));
        events.receive(Json.MAPPER.readTree(event(cutoff.plusSeconds(60))));

        long trimmed = new EventTrimming(db, Duration.ofDays(7), Duration.ofMinutes(15), 2).trim(cutoff);

        assertEquals(7, trimmed);
        assertEquals(2, count("SELECT count(*) FROM events"), "an event at the cutoff or after it stays");
        assertEquals(6, count("SELECT count(*) FROM event_resources"), "three rows each for the two that stay");
        assertEquals(0, count("SELECT count(*) FROM event_resources WHERE event_id NOT IN (SELECT id FROM events)"));
    }

    private static String event(Instant occurred) {
        return """
                {"id":"%s","occurred":"%s","event":"trim.test","resource":{"prefect.resource.id":"test.a"},
                 "related":[{"prefect.resource.id":"test.b","prefect.resource.role":"b"},
                            {"prefect.resource.id":"test.c","prefect.resource.role":"c"}],"payload":{}}
                """.formatted(UUID.randomUUID(), occurred);
    }

    private int count(String sql) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
