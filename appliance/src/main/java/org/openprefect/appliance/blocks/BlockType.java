package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** A block type as upstream's {@code BlockType} answers it. */
public record BlockType(UUID id, Instant created, Instant updated, String name, String slug, String logoUrl, String documentationUrl,
                        String description, String codeExample, boolean isProtected) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        json.put("slug", slug);
        json.put("logo_url", logoUrl);
        json.put("documentation_url", documentationUrl);
        json.put("description", description);
        json.put("code_example", codeExample);
        json.put("is_protected", isProtected);
        return json;
    }
}
