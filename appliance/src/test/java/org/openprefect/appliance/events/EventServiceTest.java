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
import org.openprefect.appliance.taskruns.TaskRunRecorder;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EventService#receive} called directly on a real SQLite file. */
class EventServiceTest {
    @TempDir
    Path temp;
    Database db;
    EventService events;
    final List<String> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("events.db"))));
        db.migrateToHead("test");
        EventBus bus = new EventBus();
        bus.subscribe(published::addAll);
        events = new EventService(db, bus, List.of(new TaskRunRecorder(db.dialect())));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private int count(String table) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static JsonNode pendingTaskRunOf(UUID flowRunId, UUID eventId) throws Exception {
        return Json.MAPPER.readTree("""
                {"occurred":"%s","event":"prefect.task-run.Pending","id":"%s","follows":null,
                 "resource":{"prefect.resource.id":"prefect.task-run.%s","prefect.state-type":"PENDING"},
                 "related":[{"prefect.resource.id":"prefect.flow-run.%s","prefect.resource.role":"flow-run"}],
                 "payload":{"validated_state":{"type":"PENDING","name":"Pending","state_details":{}},
                            "task_run":{"name":"t","task_key":"t-1","dynamic_key":"0"}}}
                """.formatted(Instant.now(), eventId, UUID.randomUUID(), flowRunId));
    }

    @Test
    void aTaskRunOfAnUnknownFlowRunKeepsItsEventAndRecordsNoTaskRun() throws Exception {
        UUID eventId = UUID.randomUUID();
        events.receive(pendingTaskRunOf(UUID.randomUUID(), eventId));
        assertEquals(1, count("events"));
        assertEquals(0, count("task_run"));
        assertEquals(List.of(eventId.toString()), published, "subscribers hear of the stored event");
        events.receive(pendingTaskRunOf(UUID.randomUUID(), eventId));
        assertEquals(1, count("events"), "an event id is stored once");
    }
}
