package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A block schema as upstream's {@code BlockSchema} answers it: {@code fields} is the full schema,
 * its {@code block_schema_references} and the nested blocks' {@code definitions} rebuilt from the
 * reference rows (they are not stored in the row itself).
 */
public record BlockSchema(UUID id, Instant created, Instant updated, String checksum, ObjectNode fields, UUID blockTypeId,
                          BlockType blockType, List<String> capabilities, String version) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("checksum", checksum);
        json.set("fields", fields.deepCopy());
        json.put("block_type_id", blockTypeId.toString());
        json.set("block_type", blockType.toJson());
        capabilities.forEach(json.putArray("capabilities")::add);
        json.put("version", version);
        return json;
    }
}
