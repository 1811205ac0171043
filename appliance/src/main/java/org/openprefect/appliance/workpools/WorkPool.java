package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** A work pool as upstream's {@code WorkPool} schema answers it (the fields and order of traces/worker.jsonl). */
public record WorkPool(UUID id, Instant created, Instant updated, String name, String description, String type,
                       JsonNode baseJobTemplate, boolean isPaused, Integer concurrencyLimit, String status, UUID defaultQueueId,
                       JsonNode storageConfiguration) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("description", description);
        j.put("type", type);
        j.set("base_job_template", baseJobTemplate);
        j.put("is_paused", isPaused);
        j.put("concurrency_limit", concurrencyLimit);
        j.put("status", status);
        j.put("default_queue_id", Json.text(defaultQueueId));
        j.set("storage_configuration", storageConfiguration);
        return j;
    }
}
