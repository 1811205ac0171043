package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** A work queue as upstream's {@code WorkQueueResponse} answers it. */
public record WorkQueue(UUID id, Instant created, Instant updated, String name, String description, boolean isPaused,
                        Integer concurrencyLimit, int priority, UUID workPoolId, JsonNode filter, Instant lastPolled,
                        String workPoolName, String status) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode j = toCoreJson();
        j.put("work_pool_name", workPoolName);
        j.put("status", status);
        return j;
    }

    /** Upstream's core {@code WorkQueue} schema: the response without the pool's name and the status. */
    public ObjectNode toCoreJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("description", description);
        j.put("is_paused", isPaused);
        j.put("concurrency_limit", concurrencyLimit);
        j.put("priority", priority);
        j.put("work_pool_id", Json.text(workPoolId));
        j.set("filter", filter);
        j.put("last_polled", Times.iso(lastPolled));
        return j;
    }
}
