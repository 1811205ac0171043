package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.Arrays;
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
        return intOf("SELECT count(*) FROM " + table);
    }

    private static JsonNode pendingTaskRunOf(UUID flowRunId, UUID eventId) throws Exception {
        return Json.MAPPER.readTree("""
                {"occurred":"%s","event":"prefect.task-run.Pending","id":"%s","follows":null,
                 "resource":{"prefect.resource.id":"prefect.task-run.%s","prefect.state-type":"PENDING","prefect.orchestration":"client"},
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

    @Test
    void aTaskRunOfAnUnknownFlowRunInABatchLosesOnlyItsOwnTaskRun() throws Exception {
        UUID flowRunId = flowRun();
        UUID taskRunId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        JsonNode pending = taskRunEvent(flowRunId, taskRunId, "PENDING", "Pending", t0, "t");
        JsonNode orphan = taskRunEvent(UUID.randomUUID(), UUID.randomUUID(), "PENDING", "Pending", t0.plusMillis(1), "o");
        JsonNode running = taskRunEvent(flowRunId, taskRunId, "RUNNING", "Running", t0.plusMillis(5), "t");

        receiveTogether(texts(pending, orphan, running));

        assertEquals(3, count("events"), "every event is kept");
        assertEquals(1, count("task_run"), "the orphan's task run is not recorded");
        assertEquals("RUNNING", taskRunColumn(taskRunId, "state_type"));
        assertEquals(2, intOf("SELECT count(*) FROM task_run_state WHERE task_run_id = '" + taskRunId + "'"));
        assertEquals(List.of(pending.get("id").asText(), orphan.get("id").asText(), running.get("id").asText()), published,
                "subscribers hear of each stored event, in order");
    }

    private UUID flowRun() {
        UUID flowId = UUID.randomUUID();
        UUID flowRunId = UUID.randomUUID();
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO flow (id, name) VALUES ('" + flowId + "', 'f')");
                s.executeUpdate("INSERT INTO flow_run (id, name, flow_id) VALUES ('" + flowRunId + "', 'r', '" + flowId + "')");
            }
            return null;
        });
        return flowRunId;
    }

    private static JsonNode taskRunEvent(UUID flowRunId, UUID taskRunId, String type, String name, Instant occurred, String taskName)
            throws Exception {
        return Json.MAPPER.readTree("""
                {"occurred":"%s","event":"prefect.task-run.%s","id":"%s","follows":null,
                 "resource":{"prefect.resource.id":"prefect.task-run.%s","prefect.state-type":"%s","prefect.orchestration":"client"},
                 "related":[{"prefect.resource.id":"prefect.flow-run.%s","prefect.resource.role":"flow-run"}],
                 "payload":{"validated_state":{"type":"%s","name":"%s","state_details":{}},
                            "task_run":{"name":"%s","task_key":"t-1","dynamic_key":"%s"}}}
                """.formatted(occurred, name, UUID.randomUUID(), taskRunId, type, flowRunId, type, name, taskName, taskRunId));
    }

    private String taskRunColumn(UUID taskRunId, String column) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + column + " FROM task_run WHERE id = '" + taskRunId + "'")) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** The first column of the query's one row, as a number. */
    private int intOf(String sql) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void aRunsEventsArrivingTogetherOutOfOrderLeaveItInItsNewestStateWithOneRowWrite() throws Exception {
        UUID flowRunId = flowRun();
        UUID taskRunId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        JsonNode pending = taskRunEvent(flowRunId, taskRunId, "PENDING", "Pending", t0, "t-pending");
        JsonNode running = taskRunEvent(flowRunId, taskRunId, "RUNNING", "Running", t0.plusMillis(5), "t-running");
        JsonNode completed = taskRunEvent(flowRunId, taskRunId, "COMPLETED", "Completed", t0.plusMillis(9), "t-completed");

        receiveTogether(texts(pending, completed, running));

        assertEquals("COMPLETED", taskRunColumn(taskRunId, "state_type"));
        assertEquals(completed.get("id").asText(), taskRunColumn(taskRunId, "state_id"), "the run's state is its newest event's");
        assertEquals("t-completed", taskRunColumn(taskRunId, "name"), "its fields are the newest event's too");
        assertEquals(3, intOf("SELECT count(*) FROM task_run_state WHERE task_run_id = '" + taskRunId + "'"), "every state is kept");
        assertEquals(1, intOf("SELECT count(*) FROM task_run_state WHERE id = '" + completed.get("id").asText() + "' AND name = 'Completed' "
                + "AND type = 'COMPLETED' AND json_type(state_details) = 'object' AND timestamp = created"), "the state's row as the event has it");
        assertEquals(1, intOf("SELECT count(*) FROM run_rollup_delta WHERE kind = 'task_run'"),
                "three events of one run arriving together are one write of its row (one rollup delta, not three)");
        assertEquals(3, published.size());
    }

    @Test
    void anOlderStateArrivingLaterIsKeptWithoutMovingTheRunBackAndResentEventsAreIgnored() throws Exception {
        UUID flowRunId = flowRun();
        UUID taskRunId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        JsonNode pending = taskRunEvent(flowRunId, taskRunId, "PENDING", "Pending", t0, "t");
        JsonNode completed = taskRunEvent(flowRunId, taskRunId, "COMPLETED", "Completed", t0.plusMillis(9), "t");
        receiveTogether(texts(pending, completed));

        JsonNode running = taskRunEvent(flowRunId, taskRunId, "RUNNING", "Running", t0.plusMillis(5), "t");
        receiveTogether(texts(running, completed, pending));

        assertEquals("COMPLETED", taskRunColumn(taskRunId, "state_type"));
        assertEquals(3, intOf("SELECT count(*) FROM task_run_state WHERE task_run_id = '" + taskRunId + "'"));
        assertEquals(3, count("events"), "a re-sent event is stored once");
        assertEquals(1, intOf("SELECT sum(sign) FROM run_rollup_delta WHERE kind = 'task_run'"));
    }

    @Test
    void aLaterBatchsNewerStateUpdatesEveryFieldTheEventCarries() throws Exception {
        UUID flowRunId = flowRun();
        UUID taskRunId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        receiveTogether(texts(taskRunEvent(flowRunId, taskRunId, "PENDING", "Pending", t0, "t")));
        String created = taskRunColumn(taskRunId, "created");

        ObjectNode running = (ObjectNode) taskRunEvent(flowRunId, taskRunId, "RUNNING", "Running", t0.plusSeconds(1), "renamed");
        ((ObjectNode) running.at("/payload/task_run")).put("cache_key", "ck").put("task_version", "v2").put("flow_run_run_count", 2)
                .put("run_count", 1).put("start_time", "2026-12-06T10:00:01Z").put("total_run_time", 0.5)
                .put("expected_start_time", "2026-12-06T10:00:00Z").set("tags", Json.MAPPER.readTree("[\"a\"]"));
        ((ObjectNode) running.at("/payload/task_run")).set("labels", Json.MAPPER.readTree("{\"k\":\"v\"}"));
        receiveTogether(texts(running));

        List<String> columns = List.of("name", "task_key", "dynamic_key", "cache_key", "task_version", "flow_run_run_count", "run_count",
                "start_time", "expected_start_time", "total_run_time", "tags", "labels", "state_type", "state_name", "state_timestamp",
                "created");
        List<String> expected = List.of("renamed", "t-1", taskRunId.toString(), "ck", "v2", "2", "1", "2026-12-06 10:00:01.000000",
                "2026-12-06 10:00:00.000000", "0.5", "[\"a\"]", "{\"k\":\"v\"}", "RUNNING", "Running", "2026-12-06 10:00:01.000000",
                created);
        assertEquals(expected, columns.stream().map(column -> taskRunColumn(taskRunId, column)).toList());
        assertEquals(running.get("id").asText(), taskRunColumn(taskRunId, "state_id"));
    }

    @Test
    void aSecondIdForTheSameTaskKeysArrivingTogetherIsRecordedOnTheFirstRun() throws Exception {
        UUID flowRunId = flowRun();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        // Same task_key and dynamic_key under two task-run ids: the second is the first run by upstream's unique keys.
        JsonNode a = taskRunEvent(flowRunId, first, "PENDING", "Pending", t0, "t");
        JsonNode b = Json.MAPPER.readTree(taskRunEvent(flowRunId, second, "RUNNING", "Running", t0.plusMillis(5), "t").toString()
                .replace("\"dynamic_key\":\"" + second + "\"", "\"dynamic_key\":\"" + first + "\""));

        receiveTogether(texts(a, b));

        assertEquals(1, count("task_run"));
        assertEquals("RUNNING", taskRunColumn(first, "state_type"));
        assertEquals(2, intOf("SELECT count(*) FROM task_run_state WHERE task_run_id = '" + first + "'"));
    }

    @Test
    void aMessageThatIsNotAnEventIsSkippedAndTheOthersOfItsBatchAreStored() throws Exception {
        UUID flowRunId = flowRun();
        UUID taskRunId = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        JsonNode pending = taskRunEvent(flowRunId, taskRunId, "PENDING", "Pending", t0, "t");
        JsonNode running = taskRunEvent(flowRunId, taskRunId, "RUNNING", "Running", t0.plusMillis(5), "t");

        receiveTogether(List.of(pending.toString(), "{not json", "{\"event\": \"no id or time\"}", running.toString()));

        assertEquals(2, count("events"));
        assertEquals("RUNNING", taskRunColumn(taskRunId, "state_type"));
        assertEquals(2, published.size());
    }

    /** As the intake stores a connection's messages: each prepared as it is taken (skipped when not an Event), then stored together. */
    private void receiveTogether(List<String> messages) {
        List<EventService.Incoming> batch = new ArrayList<>();
        for (String message : messages) {
            EventService.Incoming prepared = events.prepare(message);
            if (prepared != null) {
                batch.add(prepared);
            }
        }
        events.storeTogether(batch);
    }

    /** The events as /events/in's messages arrive: text. */
    private static List<String> texts(JsonNode... events) {
        return Arrays.stream(events).map(JsonNode::toString).toList();
    }

    @Test
    void taskRunsWithoutAFlowRunArrivingTogetherUnderTheSameKeysAreOneRun() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        ObjectNode a = (ObjectNode) taskRunEvent(UUID.randomUUID(), first, "PENDING", "Pending", t0, "t");
        ObjectNode b = (ObjectNode) Json.MAPPER.readTree(taskRunEvent(UUID.randomUUID(), second, "RUNNING", "Running", t0.plusMillis(5), "t")
                .toString().replace("\"dynamic_key\":\"" + second + "\"", "\"dynamic_key\":\"" + first + "\""));
        a.putArray("related");
        b.putArray("related");

        receiveTogether(texts(a, b));

        assertEquals(1, count("task_run"), "the unique keys do not hold without a flow run (NULL): the recorder looks them up");
        assertEquals("RUNNING", taskRunColumn(first, "state_type"));
    }
}
