package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Block schemas: stored as upstream stores them (nested block schemas as schemas of their own,
 * linked by reference rows) and answered with their full fields rebuilt.
 */
public final class BlockSchemaService {
    /** A created schema, or the existing one with the same checksum and version. */
    public record Created(BlockSchema schema, boolean created) {
    }

    private final Database db;
    private final BlockSchemaRepository schemas;
    private final BlockTypeRepository types;
    private final FilterSql filters;
    private final int defaultLimit;

    public BlockSchemaService(Database db, int defaultLimit) {
        this.db = db;
        this.schemas = new BlockSchemaRepository(db.dialect());
        this.types = new BlockTypeRepository(db.dialect());
        this.filters = new FilterSql(db.dialect());
        this.defaultLimit = defaultLimit;
    }

    /** {@code POST /block_schemas/}: 404 for an unknown type, the existing schema (200) for a known checksum and version. */
    public Created create(ObjectNode fields, UUID blockTypeId, List<String> capabilities, String version) {
        return db.write(c -> {
            if (types.byId(c, blockTypeId) == null) {
                throw ApiException.notFound("Block type " + blockTypeId + " not found.");
            }
            BlockSchemaRepository.Row existing = schemas.byChecksum(c, SchemaFields.checksum(fields), version);
            if (existing != null) {
                return new Created(full(c, existing), false);
            }
            return new Created(full(c, insert(c, fields, blockTypeId, capabilities, version, null)), true);
        });
    }

    public BlockSchema read(UUID id) {
        return ApiException.found(db.read(c -> {
            BlockSchemaRepository.Row row = schemas.byId(c, id);
            return row == null ? null : full(c, row);
        }), "Block schema not found");
    }

    public BlockSchema readByChecksum(String checksum, String version) {
        return ApiException.found(db.read(c -> {
            BlockSchemaRepository.Row row = schemas.byChecksum(c, checksum, version);
            return row == null ? null : full(c, row);
        }), "Block schema not found");
    }

    public List<BlockSchema> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = filters.blockSchemas(body.get("block_schemas"));
        return db.read(c -> {
            List<BlockSchema> found = new ArrayList<>();
            for (BlockSchemaRepository.Row row : schemas.list(c, where, paging.limit(), paging.offset())) {
                found.add(full(c, row));
            }
            return found;
        });
    }

    public void delete(UUID id) {
        db.write(c -> {
            BlockSchemaRepository.Row row = schemas.byId(c, id);
            if (row == null) {
                throw ApiException.notFound("Block schema not found");
            }
            if (types.byId(c, row.blockTypeId()).isProtected()) {
                throw ApiException.detail(403, "Block schemas for protected block types cannot be deleted.");
            }
            return schemas.delete(c, id);
        });
    }

    public List<String> capabilities() {
        return db.read(schemas::capabilities);
    }

    /** A schema with its fields rebuilt: {@code block_schema_references} from the reference rows, the nested blocks' definitions. */
    public BlockSchema full(Connection c, BlockSchemaRepository.Row row) throws SQLException {
        ObjectNode fields = row.fields().deepCopy();
        ObjectNode references = JsonNodeFactory.instance.objectNode();
        ObjectNode blockDefinitions = JsonNodeFactory.instance.objectNode();
        for (BlockSchemaRepository.Reference reference : schemas.references(c, row.id())) {
            BlockSchema child = full(c, schemas.byId(c, reference.childId()));
            ObjectNode entry = JsonNodeFactory.instance.objectNode().put("block_schema_checksum", child.checksum())
                    .put("block_type_slug", child.blockType().slug());
            JsonNode present = references.get(reference.name());
            if (present == null) {
                references.set(reference.name(), entry);
            } else if (present.isArray()) {
                if (!contains((ArrayNode) present, entry)) {
                    ((ArrayNode) present).add(entry);
                }
            } else if (!present.equals(entry)) {
                references.putArray(reference.name()).add(present).add(entry);
            }
            ObjectNode childFields = child.fields().deepCopy();
            JsonNode title = childFields.get("title");
            if (title != null && !title.isNull()) {
                JsonNode childDefinitions = childFields.remove("definitions");
                blockDefinitions.set(title.asText(), childFields);
                if (childDefinitions instanceof ObjectNode nested) {
                    blockDefinitions.setAll(nested);
                }
            }
        }
        fields.set("block_schema_references", references);
        if (!blockDefinitions.isEmpty() || fields.has("definitions")) {
            ObjectNode definitions = fields.get("definitions") instanceof ObjectNode stored ? stored : JsonNodeFactory.instance.objectNode();
            definitions.setAll(blockDefinitions);
            fields.set("definitions", definitions);
        }
        return new BlockSchema(row.id(), row.created(), row.updated(), row.checksum(), fields, row.blockTypeId(), types.byId(c, row.blockTypeId()),
                row.capabilities(), row.version());
    }

    /**
     * Upstream's model {@code create_block_schema}: the row holds the fields without
     * {@code block_schema_references} and without nested blocks' definitions; each nested block's
     * schema is found by checksum or created from the definitions, and linked by a reference row.
     */
    private BlockSchemaRepository.Row insert(Connection c, ObjectNode fields, UUID blockTypeId, List<String> capabilities, String version,
                                             JsonNode inheritedDefinitions) throws SQLException {
        JsonNode definitions = inheritedDefinitions != null ? inheritedDefinitions : fields.get("definitions");
        boolean hasDefinitions = definitions != null && definitions.isObject() && !definitions.isEmpty();
        ObjectNode stored = fields.deepCopy();
        ObjectNode forChecksum = fields.deepCopy();
        if (hasDefinitions) {
            forChecksum.set("definitions", definitions);
        }
        String checksum = SchemaFields.checksum(forChecksum);
        BlockSchemaRepository.Row existing = schemas.byChecksum(c, checksum, version);
        if (existing != null) {
            return existing;
        }
        if (hasDefinitions) {
            ObjectNode nonBlock = SchemaFields.nonBlockDefinitions(stored, definitions);
            if (nonBlock.isEmpty()) {
                stored.remove("definitions");
            } else {
                stored.set("definitions", nonBlock);
            }
        }
        JsonNode references = stored.remove("block_schema_references");
        Instant now = Times.now();
        BlockSchemaRepository.Row row = new BlockSchemaRepository.Row(UUID.randomUUID(), now, now, checksum, stored, capabilities, version,
                blockTypeId);
        schemas.insert(c, row);
        if (references != null && references.isObject()) {
            for (Map.Entry<String, JsonNode> reference : references.properties()) {
                List<JsonNode> entries = new ArrayList<>();
                if (reference.getValue().isArray()) {
                    reference.getValue().forEach(entries::add);
                } else {
                    entries.add(reference.getValue());
                }
                for (JsonNode entry : entries) {
                    UUID childId = nested(c, entry, stored, reference.getKey(), hasDefinitions ? definitions : null);
                    schemas.addReference(c, row.id(), childId, reference.getKey());
                }
            }
        }
        return row;
    }

    private UUID nested(Connection c, JsonNode entry, ObjectNode parentFields, String name, JsonNode definitions) throws SQLException {
        String slug = entry.path("block_type_slug").asText();
        BlockType type = types.bySlug(c, slug);
        if (type == null) {
            throw ApiException.detail(409, "Cannot create block schema because block type '" + slug + "' was not found.Did you forget to register "
                    + "the block type?");
        }
        BlockSchemaRepository.Row child = schemas.byChecksum(c, entry.path("block_schema_checksum").asText(), null);
        if (child != null) {
            return child.id();
        }
        JsonNode childFields = definitions == null ? null : childDefinition(definitions, parentFields, name, type);
        if (!(childFields instanceof ObjectNode childObject)) {
            // Upstream raises a ValueError here, which its API answers with a 500; the body is what is wrong.
            throw ApiException.detail(422, definitions == null
                    ? "Unable to create nested block schema due to missing definitions in root block schema fields"
                    : "Unable to create nested block schema for block type '" + type.name() + "' due to missing definition.");
        }
        return insert(c, childObject, type.id(), List.of(), "non-versioned", definitions).id();
    }

    /** Upstream's {@code _get_fields_for_child_schema}: the definition the parent's field points at, the matching one of a union. */
    private static JsonNode childDefinition(JsonNode definitions, JsonNode parentFields, String name, BlockType type) {
        List<String> references = SchemaFields.references(parentFields.path("properties").path(name));
        if (references.size() == 1) {
            return definitions.get(SchemaFields.definitionKey(references.getFirst()));
        }
        for (String reference : references) {
            JsonNode definition = definitions.get(SchemaFields.definitionKey(reference));
            if (definition != null && type.slug().equals(definition.path("block_type_slug").asText(null))) {
                return definition;
            }
        }
        return null;
    }

    private static boolean contains(ArrayNode array, JsonNode entry) {
        for (JsonNode item : array) {
            if (item.equals(entry)) {
                return true;
            }
        }
        return false;
    }
}
