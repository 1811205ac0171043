package org.openprefect.appliance.automations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An automation as upstream's {@code Automation} schema answers it; trigger and actions stay the JSON they were stored as. */
public record Automation(UUID id, Instant created, Instant updated, String name, String description, boolean enabled, List<String> tags,
                         JsonNode trigger, JsonNode actions, JsonNode actionsOnTrigger, JsonNode actionsOnResolve) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("description", description);
        j.put("enabled", enabled);
        tags.forEach(j.putArray("tags")::add);
        j.set("trigger", trigger);
        j.set("actions", actions);
        j.set("actions_on_trigger", actionsOnTrigger);
        j.set("actions_on_resolve", actionsOnResolve);
        return j;
    }
}
