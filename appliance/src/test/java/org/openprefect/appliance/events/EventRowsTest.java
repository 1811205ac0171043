package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.SqlDialect;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EventRepository#prepare}: the JSON each row stores, written once for all the rows that hold it. */
class EventRowsTest {
    @Test
    void eachColumnHoldsItsDocumentAsJacksonWritesIt() throws Exception {
        Event event = Event.from(Json.MAPPER.readTree("""
                {"occurred":"2026-12-07T08:00:00.123456Z","event":"prefect.task-run.Running","id":"01a2382e-9986-7087-8000-000000000001",
                 "follows":"01a2382e-9986-7087-8000-000000000000",
                 "resource":{"prefect.resource.id":"prefect.task-run.01a2382e-9979-7921-8000-000000000000","prefect.resource.name":"say \\"hi\\" ✓"},
                 "related":[{"prefect.resource.id":"prefect.flow-run.f","prefect.resource.role":"flow-run","prefect.resource.name":"a\\nb"},
                            {"prefect.resource.id":"prefect.flow.\\u0001x","prefect.resource.role":"flow"}],
                 "payload":{"intended":{"from":"PENDING","to":"RUNNING"},"n":[1,2.5e-7,null,true]}}
                """));
        EventRepository.Prepared rows = new EventRepository(SqlDialect.SQLITE).prepare(event, Instant.parse("2026-12-07T08:00:01Z"));

        ArrayNode relatedIds = JsonNodeFactory.instance.arrayNode();
        event.related().forEach(r -> relatedIds.add(r.get("prefect.resource.id").asText()));
        List<Object> row = rows.event();
        assertEquals("prefect.task-run.01a2382e-9979-7921-8000-000000000000", row.get(5));
        assertEquals(event.resource().toString(), row.get(6));
        assertEquals(relatedIds.toString(), row.get(7));
        assertEquals(JsonNodeFactory.instance.arrayNode().addAll(List.copyOf(event.related())).toString(), row.get(8));
        assertEquals(event.payload().toString(), row.get(9));
        assertEquals("01a2382e-9986-7087-8000-000000000000", row.get(12));

        assertEquals(3, rows.resources().size());
        assertEquals(List.of("prefect.task-run.01a2382e-9979-7921-8000-000000000000", "", event.resource().toString()),
                rows.resources().get(0).subList(4, 7));
        assertEquals(List.of("prefect.flow-run.f", "flow-run", event.related().get(0).toString()), rows.resources().get(1).subList(4, 7));
        assertEquals(List.of("prefect.flow.\u0001x", "flow", event.related().get(1).toString()), rows.resources().get(2).subList(4, 7));
        rows.resources().forEach(r -> assertEquals("01a2382e-9986-7087-8000-000000000001", r.get(7)));
    }
}
