package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A flow as upstream's {@code Flow} schema answers it: every field, in upstream's order, times as
 * ISO-8601 with microseconds. The one place that says what a flow looks like on the wire.
 */
public record Flow(UUID id, Instant created, Instant updated, String name, List<String> tags, ObjectNode labels) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        tags.forEach(json.putArray("tags")::add);
        json.set("labels", labels);
        return json;
    }
}
