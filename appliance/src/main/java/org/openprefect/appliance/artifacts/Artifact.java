package org.openprefect.appliance.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/**
 * An artifact as upstream's {@code Artifact} answers it, or, with {@code latestId} set, an entry of
 * the latest-per-key collection as {@code ArtifactCollection} answers it (its own id, the key's
 * newest artifact in {@code latest_id}).
 */
public record Artifact(UUID id, Instant created, Instant updated, String key, UUID latestId, String type, String description, JsonNode data,
                       JsonNode metadata, UUID flowRunId, UUID taskRunId) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("key", key);
        if (latestId != null) {
            json.put("latest_id", latestId.toString());
        }
        json.put("type", type);
        json.put("description", description);
        json.set("data", data);
        json.set("metadata_", metadata);
        json.put("flow_run_id", Json.text(flowRunId));
        json.put("task_run_id", Json.text(taskRunId));
        return json;
    }
}
