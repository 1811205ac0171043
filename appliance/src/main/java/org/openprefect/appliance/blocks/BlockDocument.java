package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/**
 * A block document as upstream's {@code BlockDocument} answers it: {@code data} with referenced
 * documents' data filled in (and secrets obfuscated unless asked for), and
 * {@code block_document_references} naming what each reference points at.
 */
public record BlockDocument(UUID id, Instant created, Instant updated, String name, ObjectNode data, BlockSchema blockSchema,
                            BlockType blockType, ObjectNode blockDocumentReferences, boolean isAnonymous) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode json = Json.stored(id, created, updated);
        json.put("name", name);
        json.set("data", data);
        json.put("block_schema_id", blockSchema.id().toString());
        json.set("block_schema", blockSchema.toJson());
        json.put("block_type_id", blockType.id().toString());
        json.put("block_type_name", blockType.name());
        json.set("block_type", blockType.toJson());
        json.set("block_document_references", blockDocumentReferences);
        json.put("is_anonymous", isAnonymous);
        return json;
    }
}
