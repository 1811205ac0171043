package org.openprefect.appliance.variables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A variable as upstream's {@code Variable} answers it; {@code value} is any JSON value, null included. */
public record Variable(UUID id, Instant created, Instant updated, String name, JsonNode value, List<String> tags) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        json.set("value", value);
        tags.forEach(json.putArray("tags")::add);
        return json;
    }
}
