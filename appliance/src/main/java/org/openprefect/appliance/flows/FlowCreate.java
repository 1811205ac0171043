package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;

import java.util.List;

/** The body of {@code POST /flows/} (upstream's {@code FlowCreate}), read from a body already validated against that schema. */
public record FlowCreate(String name, List<String> tags, ObjectNode labels) {
    public static FlowCreate from(JsonNode body) {
        return new FlowCreate(body.get("name").asText(), Json.texts(body.get("tags")),
                body.hasNonNull("labels") ? (ObjectNode) body.get("labels") : JsonNodeFactory.instance.objectNode());
    }
}
