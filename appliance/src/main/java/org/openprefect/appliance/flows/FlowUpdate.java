package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;

import java.util.List;

/** The body of {@code PATCH /flows/{id}} (upstream's {@code FlowUpdate}): only tags can change; null leaves them. */
public record FlowUpdate(List<String> tags) {
    public static FlowUpdate from(JsonNode body) {
        return new FlowUpdate(body.hasNonNull("tags") ? Json.texts(body.get("tags")) : null);
    }
}
