package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.UUID;

/** A stored log as upstream's {@code Log} schema answers it: every field, in upstream's order, nulls included. */
public record Log(UUID id, Instant created, Instant updated, String name, int level, String message, Instant timestamp,
                  UUID flowRunId, UUID taskRunId) {
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        json.put("level", level);
        json.put("message", message);
        json.put("timestamp", Times.iso(timestamp));
        json.put("flow_run_id", flowRunId == null ? null : flowRunId.toString());
        json.put("task_run_id", taskRunId == null ? null : taskRunId.toString());
        return json;
    }
}
