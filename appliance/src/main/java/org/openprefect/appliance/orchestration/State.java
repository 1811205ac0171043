package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A run state: upstream's {@code State}. {@code details} always carries every StateDetails key,
 * defaults filled in, as upstream's responses do.
 */
public record State(UUID id, StateType type, String name, Instant timestamp, String message, JsonNode data, ObjectNode details) {

    private static final Map<String, JsonNode> DETAIL_DEFAULTS = new LinkedHashMap<>();

    static {
        for (String key : new String[]{"flow_run_id", "task_run_id", "child_flow_run_id", "scheduled_time", "cache_key",
                "cache_expiration"}) {
            DETAIL_DEFAULTS.put(key, NullNode.getInstance());
        }
        DETAIL_DEFAULTS.put("deferred", JsonNodeFactory.instance.booleanNode(false));
        DETAIL_DEFAULTS.put("untrackable_result", JsonNodeFactory.instance.booleanNode(false));
        DETAIL_DEFAULTS.put("pause_timeout", NullNode.getInstance());
        DETAIL_DEFAULTS.put("pause_reschedule", JsonNodeFactory.instance.booleanNode(false));
        for (String key : new String[]{"pause_key", "run_input_keyset", "refresh_cache", "retriable", "transition_id",
                "task_parameters_id", "traceparent", "deployment_concurrency_lease_id"}) {
            DETAIL_DEFAULTS.put(key, NullNode.getInstance());
        }
    }

    /** A proposed state from a {@code StateCreate} body: fresh v7 id, server timestamp, default name. */
    public static State proposed(JsonNode create, Instant now) {
        StateType type = StateType.valueOf(create.get("type").asText());
        String name = create.hasNonNull("name") ? create.get("name").asText() : type.defaultName();
        ObjectNode details = normalizedDetails(create.path("state_details"));
        if (type == StateType.SCHEDULED && details.get("scheduled_time").isNull()) {
            details.put("scheduled_time", Times.iso(now));
        }
        String message = create.hasNonNull("message") ? create.get("message").asText() : null;
        JsonNode data = create.has("data") ? create.get("data") : NullNode.getInstance();
        return new State(Ids.v7(now), type, name, now, message, data, details);
    }

    public static ObjectNode normalizedDetails(JsonNode given) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        DETAIL_DEFAULTS.forEach((k, v) -> details.set(k, given != null && given.has(k) ? given.get(k) : v.deepCopy()));
        return details;
    }

    public State withName(String newName) {
        return new State(id, type, newName, timestamp, message, data, details);
    }

    public State withTimestamp(Instant t) {
        return new State(id, type, name, t, message, data, details);
    }

    /** A new state of another type and name, keeping nothing but what the caller passes. */
    public static State of(StateType type, String name, String message, Instant now, ObjectNode details) {
        return new State(Ids.v7(now), type, name, now, message, NullNode.getInstance(), normalizedDetails(details));
    }

    public Instant scheduledTime() {
        JsonNode t = details.get("scheduled_time");
        return t == null || t.isNull() ? null : Times.parse(t.asText());
    }

    /** Result data that was persisted (anything but absent or {"type": "unpersisted"}). */
    public boolean hasPersistedData() {
        return data != null && !data.isNull() && !(data.isObject() && "unpersisted".equals(data.path("type").asText()));
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id.toString());
        json.put("type", type.name());
        json.put("name", name);
        json.put("timestamp", Times.iso(timestamp));
        json.put("message", message);
        json.set("data", data == null ? NullNode.getInstance() : data);
        json.set("state_details", details);
        return json;
    }
}
