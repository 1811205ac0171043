package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseUrl;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.Where;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An EventFilter's {@code related} and {@code any_resource} on a real SQLite file: what they find, and how. */
class EventFilterTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String X = "prefect.flow-run." + UUID.randomUUID();
    private static final String Y = "prefect.flow-run." + UUID.randomUUID();

    @TempDir
    Path temp;
    Database db;
    EventService events;
    final UUID inWindowOfX = UUID.randomUUID();
    final UUID inWindowOfY = UUID.randomUUID();
    final UUID tenDaysBeforeOfX = UUID.randomUUID();

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("events.db"))));
        db.migrateToHead("test");
        events = new EventService(db, new EventBus(), List.of());
        events.receive(event(inWindowOfX, T0, X));
        events.receive(event(inWindowOfY, T0.plusSeconds(1), Y));
        events.receive(event(tenDaysBeforeOfX, T0.minusSeconds(10 * 86_400), X));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aResourceIdFindsItsEventsInTheWindowAndOnlyThose() throws Exception {
        assertEquals(List.of(inWindowOfX.toString()), found("\"any_resource\":{\"id\":[\"" + X + "\"]}"));
        assertEquals(List.of(inWindowOfX.toString()), found("\"related\":{\"id\":[\"" + X + "\"],\"role\":[\"flow-run\"]}"));
        assertEquals(List.of(), found("\"related\":{\"id\":[\"" + X + "\"],\"role\":[\"flow\"]}"), "the role must match too");
        assertEquals(List.of(), found("\"related\":{\"id\":[\"test.primary\"]}"), "related leaves out the event's own resource");
        assertEquals(List.of(inWindowOfY.toString(), inWindowOfX.toString()), found("\"any_resource\":{\"id_prefix\":[\"prefect.flow-run.\"]}"));
        assertEquals(List.of(inWindowOfY.toString(), inWindowOfX.toString()), found("\"any_resource\":{\"id\":[\"test.primary\"]}"),
                "any_resource includes the event's own resource");
        assertEquals(1, events.filter(filter("\"any_resource\":{\"id\":[\"" + X + "\"]}"), "http://x/api").get("total").asInt());
    }

    @Test
    void liveDeliveryMatchesAResourceIdWhateverTheWindow() throws Exception {
        JsonNode filter = Json.MAPPER.readTree("{\"any_resource\":{\"id\":[\"" + X + "\"]}}");
        List<String> ids = List.of(inWindowOfX.toString(), inWindowOfY.toString(), tenDaysBeforeOfX.toString());
        List<String> matched = events.matching(filter, ids).stream().map(e -> e.id().toString()).toList();
        assertEquals(List.of(tenDaysBeforeOfX.toString(), inWindowOfX.toString()), matched);
    }

    @Test
    void aResourceIdsEventsAreFoundFromItsResourceRowsNotByTestingEveryEventOfTheWindow() throws Exception {
        Where where = new EventRepository(db.dialect()).where(filter("\"any_resource\":{\"id\":[\"" + X + "\"]}").get("filter"));
        List<String> steps = db.read(c -> Rows.query(c, "EXPLAIN QUERY PLAN SELECT * FROM events WHERE " + where.sql()
                + " ORDER BY events.occurred DESC, events.id DESC LIMIT 50", where.params(), rs -> rs.getString("detail")));
        String plan = String.join("\n", steps);
        assertTrue(plan.contains("ix_event_resources__resource_id__occurred (resource_id=? AND occurred>? AND occurred<?)"), plan);
    }

    private List<String> found(String condition) throws Exception {
        List<String> ids = new ArrayList<>();
        events.filter(filter(condition), "http://x/api").get("events").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }

    private static JsonNode filter(String condition) throws Exception {
        return Json.MAPPER.readTree("""
                {"filter":{"occurred":{"since":"%s","until":"%s"},%s}}
                """.formatted(T0.minusSeconds(3600), T0.plusSeconds(3600), condition));
    }

    private static JsonNode event(UUID id, Instant occurred, String flowRun) throws Exception {
        return Json.MAPPER.readTree("""
                {"id":"%s","occurred":"%s","event":"filter.test","resource":{"prefect.resource.id":"test.primary"},
                 "related":[{"prefect.resource.id":"%s","prefect.resource.role":"flow-run"}],"payload":{}}
                """.formatted(id, occurred, flowRun));
    }
}
