package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** TaskRunPolicy as upstream returns it, every key present. */
public final class TaskRunPolicies {
    private TaskRunPolicies() {
    }

    public static ObjectNode normalized(JsonNode given) {
        ObjectNode in = given != null && given.isObject() ? (ObjectNode) given : JsonNodeFactory.instance.objectNode();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.set("max_retries", in.hasNonNull("max_retries") ? in.get("max_retries") : JsonNodeFactory.instance.numberNode(0));
        p.set("retry_delay_seconds", in.hasNonNull("retry_delay_seconds") ? in.get("retry_delay_seconds") : JsonNodeFactory.instance.numberNode(0.0));
        p.set("retries", in.hasNonNull("retries") ? in.get("retries") : p.get("max_retries"));
        p.set("retry_delay", in.hasNonNull("retry_delay") ? in.get("retry_delay") : JsonNodeFactory.instance.numberNode(p.get("retry_delay_seconds").asInt()));
        p.set("retry_jitter_factor", in.hasNonNull("retry_jitter_factor") ? in.get("retry_jitter_factor") : JsonNodeFactory.instance.nullNode());
        return p;
    }
}
