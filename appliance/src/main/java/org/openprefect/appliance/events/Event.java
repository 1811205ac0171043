package org.openprefect.appliance.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An event as upstream's {@code Event} schema has it (what clients send and the server emits), and
 * once stored its {@code ReceivedEvent}, which adds {@code received}. Resources are label maps
 * ({@code prefect.resource.id}, {@code prefect.resource.role}, any others) and stay JSON objects.
 */
public record Event(Instant occurred, String event, ObjectNode resource, List<ObjectNode> related, ObjectNode payload, UUID id,
                    UUID follows, Instant received) implements WireShape {

    /** Reads a body already validated against the {@code Event} schema. */
    public static Event from(JsonNode body) {
        List<ObjectNode> related = new ArrayList<>();
        body.path("related").forEach(r -> related.add((ObjectNode) r));
        return new Event(Times.parse(body.get("occurred").asText()), body.get("event").asText(), (ObjectNode) body.get("resource"),
                related, body.path("payload").isObject() ? (ObjectNode) body.get("payload") : JsonNodeFactory.instance.objectNode(),
                UUID.fromString(body.get("id").asText()),
                body.hasNonNull("follows") ? UUID.fromString(body.get("follows").asText()) : null, null);
    }

    public String resourceId() {
        return resource.path("prefect.resource.id").asText();
    }

    /** The id of the related resource with this role, or null. */
    public String relatedId(String role) {
        for (ObjectNode r : related) {
            if (role.equals(r.path("prefect.resource.role").asText())) {
                return r.path("prefect.resource.id").asText();
            }
        }
        return null;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("occurred", Times.iso(occurred));
        j.put("event", event);
        j.set("resource", resource);
        related.forEach(j.putArray("related")::add);
        j.set("payload", payload);
        j.put("id", id.toString());
        j.put("follows", Json.text(follows));
        if (received != null) {
            j.put("received", Times.iso(received));
        }
        return j;
    }
}
