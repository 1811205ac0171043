package org.openprefect.appliance.concurrency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/**
 * A global concurrency limit (upstream's {@code ConcurrencyLimitV2}): tag limits are the ones named
 * {@code tag:<tag>}, a deployment's limit is named {@code deployment:<id>}. {@code activeSlots} and
 * {@code deniedSlots} are as stored, before the decay since {@code updated}.
 */
public record GlobalLimit(UUID id, Instant created, Instant updated, boolean active, String name, int limit, int activeSlots,
                          int deniedSlots, double slotDecayPerSecond, double avgSlotOccupancySeconds) implements WireShape {
    static final String TAG_PREFIX = "tag:";

    /** The whole row, as upstream answers a create ({@code ConcurrencyLimitV2}). */
    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("active", active);
        j.put("name", name);
        j.put("limit", limit);
        j.put("active_slots", activeSlots);
        j.put("denied_slots", deniedSlots);
        j.put("slot_decay_per_second", slotDecayPerSecond);
        j.put("avg_slot_occupancy_seconds", avgSlotOccupancySeconds);
        return j;
    }

    /** Upstream's {@code GlobalConcurrencyLimitResponse}, what reads and listings answer. */
    public ObjectNode toResponseJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("active", active);
        j.put("name", name);
        j.put("limit", limit);
        j.put("active_slots", activeSlots);
        j.put("slot_decay_per_second", slotDecayPerSecond);
        return j;
    }

    /** Upstream's {@code MinimalConcurrencyLimitResponse}, with the name given. */
    public ObjectNode toMinimalJson(String shownName) {
        ObjectNode j = Json.MAPPER.createObjectNode();
        j.put("id", id.toString());
        j.put("name", shownName);
        j.put("limit", limit);
        return j;
    }

    boolean isTagLimit() {
        return name.startsWith(TAG_PREFIX);
    }

    String tag() {
        return name.substring(TAG_PREFIX.length());
    }
}
