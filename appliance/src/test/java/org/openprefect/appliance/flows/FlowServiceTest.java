package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseUrl;
import org.openprefect.appliance.http.ApiException;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow service's plain methods, called directly on a real SQLite file (no HTTP). */
class FlowServiceTest {
    @TempDir
    Path temp;
    Database db;
    FlowService flows;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseConfig.of(DatabaseUrl.parse("sqlite+aiosqlite:///" + temp.resolve("flows.db"))));
        db.migrateToHead("test");
        flows = new FlowService(db, 200);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static JsonNode body(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void createIsAnUpsertByNameThatSaysWhetherItCreated() throws Exception {
        FlowUpsert first = flows.create(FlowCreate.from(body("{\"name\":\"etl\",\"tags\":[\"a\"]}")));
        assertTrue(first.created());
        FlowUpsert again = flows.create(FlowCreate.from(body("{\"name\":\"etl\",\"tags\":[\"b\"]}")));
        assertFalse(again.created());
        assertEquals(first.flow().id(), again.flow().id());
        assertEquals(List.of("a"), again.flow().tags(), "an existing flow is returned unchanged");
        assertEquals(first.flow().id(), flows.readByName("etl").id());
    }

    @Test
    void missingFlowsAre404s() {
        ApiException byId = assertThrows(ApiException.class, () -> flows.read(UUID.randomUUID()));
        assertEquals(404, byId.status());
        assertEquals("Flow not found", byId.body().get("detail"));
        assertEquals(404, assertThrows(ApiException.class, () -> flows.readByName("nope")).status());
    }
}
