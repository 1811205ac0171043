package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FlowRunPolicy as upstream returns it: every key present, and the deprecated
 * {@code max_retries}/{@code retry_delay_seconds} copied into {@code retries}/{@code retry_delay}
 * when those are unset.
 */
public final class FlowRunPolicies {
    private FlowRunPolicies() {
    }

    public static ObjectNode normalized(JsonNode given) {
        ObjectNode in = given != null && given.isObject() ? (ObjectNode) given : JsonNodeFactory.instance.objectNode();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.set("max_retries", in.hasNonNull("max_retries") ? in.get("max_retries") : JsonNodeFactory.instance.numberNode(0));
        p.set("retry_delay_seconds", in.hasNonNull("retry_delay_seconds") ? in.get("retry_delay_seconds") : JsonNodeFactory.instance.numberNode(0.0));
        JsonNode retries = in.get("retries");
        p.set("retries", retries == null || retries.isNull() ? p.get("max_retries") : retries);
        JsonNode delay = in.get("retry_delay");
        p.set("retry_delay", delay == null || delay.isNull() ? JsonNodeFactory.instance.numberNode(p.get("retry_delay_seconds").asInt()) : delay);
        p.set("pause_keys", in.hasNonNull("pause_keys") ? in.get("pause_keys") : JsonNodeFactory.instance.arrayNode());
        p.put("resuming", in.path("resuming").asBoolean(false));
        p.set("retry_type", in.hasNonNull("retry_type") ? in.get("retry_type") : JsonNodeFactory.instance.nullNode());
        return p;
    }
}
