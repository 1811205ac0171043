package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;

/** The fields of upstream's {@code BlockTypeCreate}, bound from a validated body (or a system type of the catalogue). */
public record BlockTypeFields(String name, String slug, String logoUrl, String documentationUrl, String description, String codeExample) {
    public static BlockTypeFields from(JsonNode body) {
        return new BlockTypeFields(Json.text(body, "name"), Json.text(body, "slug"), Json.text(body, "logo_url"),
                Json.text(body, "documentation_url"), Json.text(body, "description"), Json.text(body, "code_example"));
    }
}
