package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.TestDatabase;

import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events older than {@code PREFECT_SERVER_EVENTS_RETENTION_PERIOD} are deleted with their resource
 * rows, as upstream's event persister trims them; newer ones stay. The trimming's first pass runs as
 * the server starts: a first start without it stores them, the next trims them.
 */
class EventRetentionTest {
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eventsOlderThanTheRetentionPeriodAreTrimmedWithTheirResourceRows(String database) throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-retention-")).env("PREFECT_SERVER_EVENTS_RETENTION_PERIOD", "P2D");
        try (TestDatabase testDatabase = TestDatabase.create(database, prefect)) {
            Instant now = Instant.now();
            List<String> old = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 7; i++) {
                String id = UUID.randomUUID().toString();
                boolean isOld = i % 2 == 0;
                (isOld ? old : kept).add(id);
                Instant occurred = isOld ? now.minus(Duration.ofDays(3)).minusSeconds(i) : now.minus(Duration.ofDays(1)).minusSeconds(i);
                batch.append(i == 0 ? "" : ",").append(event(id, occurred));
            }
            batch.append(']');
            prefect.env("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED", "false");
            try (RunningServer server = RunningServer.start(prefect)) {
                new Api(server.api("")).post("/events", batch.toString(), 204);
            }
            prefect.env("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED", null);
            try (Connection db = testDatabase.connect()) {
                assertEquals("7", Sql.scalar(db, "SELECT count(*) FROM events"), "stored, not yet trimmed");
                assertEquals("21", Sql.scalar(db, "SELECT count(*) FROM event_resources"));
            }

            try (RunningServer server = RunningServer.start(prefect); Connection db = testDatabase.connect()) {
                Api api = new Api(server.api(""));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!"3".equals(Sql.scalar(db, "SELECT count(*) FROM events")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals("9", Sql.scalar(db, "SELECT count(*) FROM event_resources"), "the old events' resource rows went with them");
                JsonNode page = api.post("/events/filter", "{\"filter\":{\"occurred\":{\"since\":\"" + now.minus(Duration.ofDays(30))
                        + "\"},\"order\":\"ASC\"},\"limit\":50}", 200);
                List<String> ids = new ArrayList<>();
                page.get("events").forEach(e -> ids.add(e.get("id").asText()));
                assertEquals(kept.stream().sorted().toList(), ids.stream().sorted().toList(), "only the events within the retention period");
            }
        }
    }

    private static String event(String id, Instant occurred) {
        return "{\"id\":\"" + id + "\",\"occurred\":\"" + occurred + "\",\"event\":\"retention.test\","
                + "\"resource\":{\"prefect.resource.id\":\"test.resource." + id + "\"},"
                + "\"related\":[{\"prefect.resource.id\":\"test.related.a\",\"prefect.resource.role\":\"a\"},"
                + "{\"prefect.resource.id\":\"test.related.b\",\"prefect.resource.role\":\"b\"}],\"payload\":{}}";
    }
}
