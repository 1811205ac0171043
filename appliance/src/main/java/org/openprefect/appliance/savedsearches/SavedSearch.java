package org.openprefect.appliance.savedsearches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** A saved search (the UI's saved filters) as upstream's {@code SavedSearch} answers it. */
public record SavedSearch(UUID id, Instant created, Instant updated, String name, JsonNode filters) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        json.set("filters", filters);
        return json;
    }
}
