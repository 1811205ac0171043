package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.NameRule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Block documents: a block's saved values. Fields holding {@code {"$ref": {"block_document_id": ...}}}
 * are stored as references to other documents and answered with those documents' data; secret
 * fields are masked unless the caller asks for secrets.
 */
public final class BlockDocumentService {
    private static final String NOT_FOUND = "Block document not found";

    private final Database db;
    private final BlockDocumentRepository documents;
    private final BlockSchemaRepository schemaRows;
    private final BlockTypeRepository types;
    private final BlockSchemaService schemas;
    private final BlockDataCipher cipher;
    private final FilterSql filters;
    private final int defaultLimit;

    public BlockDocumentService(Database db, BlockSchemaService schemas, BlockDataCipher cipher, int defaultLimit) {
        this.db = db;
        this.documents = new BlockDocumentRepository(db.dialect());
        this.schemaRows = new BlockSchemaRepository(db.dialect());
        this.types = new BlockTypeRepository(db.dialect());
        this.schemas = schemas;
        this.cipher = cipher;
        this.filters = new FilterSql(db.dialect());
        this.defaultLimit = defaultLimit;
    }

    /** {@code POST /block_documents/} with a body validated against {@code BlockDocumentCreate}. */
    public BlockDocument create(JsonNode body) {
        boolean anonymous = body.path("is_anonymous").asBoolean(false);
        String name = body.hasNonNull("name") ? body.get("name").asText() : null;
        if (!anonymous && (name == null || name.isEmpty())) {
            throw InvalidRequestException.valueError(body, List.of("body"), "Names must be provided for block documents.", body);
        }
        if (name != null) {
            NameRule.DASHES.check(body, List.of("body", "name"), "Block document name", name);
        }
        UUID typeId = UUID.fromString(body.get("block_type_id").asText());
        UUID schemaId = UUID.fromString(body.get("block_schema_id").asText());
        ObjectNode data = body.path("data").isObject() ? (ObjectNode) body.get("data") : JsonNodeFactory.instance.objectNode();
        return db.write(c -> {
            if (name != null && documents.exists(c, typeId, name)) {
                throw ApiException.detail(409, "Block already exists");
            }
            BlockType type = ApiException.found(types.byId(c, typeId), "Block type not found");
            ApiException.found(schemaRows.byId(c, schemaId), "Block schema not found");
            Separated separated = separate(data);
            Instant now = Times.now();
            UUID id = UUID.randomUUID();
            documents.insert(c, new BlockDocumentRepository.Row(id, now, now, name == null ? "anonymous-" + UUID.randomUUID() : name,
                    cipher.seal(c, separated.data()), anonymous, typeId, schemaId), type.name());
            for (Map.Entry<String, UUID> reference : separated.references().entrySet()) {
                documents.addReference(c, id, reference.getValue(), reference.getKey());
            }
            return document(c, documents.byId(c, id), false, new HashMap<>());
        });
    }

    public BlockDocument read(UUID id, boolean includeSecrets) {
        return ApiException.found(db.read(c -> {
            BlockDocumentRepository.Row row = documents.byId(c, id);
            return row == null ? null : document(c, row, includeSecrets, new HashMap<>());
        }), NOT_FOUND);
    }

    public BlockDocument readByName(String typeSlug, String name, boolean includeSecrets) {
        return ApiException.found(db.read(c -> {
            BlockDocumentRepository.Row row = documents.byTypeSlugAndName(c, typeSlug, name);
            return row == null ? null : document(c, row, includeSecrets, new HashMap<>());
        }), NOT_FOUND);
    }

    /** {@code GET /block_types/slug/{slug}/block_documents}: the type's documents (anonymous ones left out). */
    public List<BlockDocument> ofType(String typeSlug, boolean includeSecrets) {
        return db.read(c -> {
            BlockType type = ApiException.found(types.bySlug(c, typeSlug), "Block type not found");
            Where where = filters.blockDocuments(JsonNodeFactory.instance.objectNode()).add("block_document.block_type_id = ?", type.id().toString());
            return documents(c, documents.list(c, where, "block_document.name", Integer.MAX_VALUE, 0), includeSecrets);
        });
    }

    public List<BlockDocument> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = where(body);
        boolean includeSecrets = body.path("include_secrets").asBoolean(false);
        String orderBy = BlockDocumentRepository.orderBy(body.path("sort").asText("NAME_ASC"));
        return db.read(c -> documents(c, documents.list(c, where, orderBy, paging.limit(), paging.offset()), includeSecrets));
    }

    public long count(JsonNode body) {
        Where where = where(body);
        return db.read(c -> documents.count(c, where));
    }

    /**
     * {@code PATCH}: upstream's {@code update_block_document}. Masked secrets sent back keep their
     * stored values; with {@code merge_existing_data} (the default) the fields sent go over the
     * stored ones; references are re-derived from the new data (a reference not sent again goes).
     */
    public void update(UUID id, JsonNode body) {
        boolean merge = body.path("merge_existing_data").asBoolean(true);
        db.write(c -> {
            BlockDocumentRepository.Row current = ApiException.found(documents.byId(c, id), NOT_FOUND);
            JsonNode sent = body.get("data");
            if (sent == null && merge) {
                return null;
            }
            ObjectNode update = sent instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
            BlockSchemaRepository.Row currentSchema = schemaRows.byId(c, current.blockSchemaId());
            ObjectNode currentData = cipher.open(c, current.data());
            ObjectNode data = new SecretFields(currentSchema.fields()).restored(update, currentData);
            if (merge) {
                ObjectNode merged = currentData.deepCopy();
                merged.setAll(data);
                data = merged;
            }
            Separated separated = separate(data);
            UUID schemaId = current.blockSchemaId();
            if (body.hasNonNull("block_schema_id")) {
                UUID proposed = UUID.fromString(body.get("block_schema_id").asText());
                if (!proposed.equals(schemaId)) {
                    BlockSchemaRepository.Row proposedSchema = ApiException.found(schemaRows.byId(c, proposed), "Block schema not found");
                    if (!proposedSchema.blockTypeId().equals(current.blockTypeId())) {
                        throw ApiException.detail(400, "Must migrate block document to a block schema of the same block type.");
                    }
                    schemaId = proposed;
                }
            }
            documents.update(c, id, cipher.seal(c, separated.data()), schemaId);
            replaceReferences(c, id, separated.references());
            return null;
        });
    }

    public void delete(UUID id) {
        if (!db.write(c -> documents.delete(c, id))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    private Where where(JsonNode body) {
        return new Where().add(filters.blockDocuments(body.get("block_documents")), false)
                .add(BlockDocumentRepository.related(filters.blockTypes(body.get("block_types")), filters.blockSchemas(body.get("block_schemas"))),
                        false);
    }

    private void replaceReferences(Connection c, UUID id, Map<String, UUID> wanted) throws SQLException {
        Map<String, UUID> kept = new LinkedHashMap<>();
        for (BlockDocumentRepository.Reference existing : documents.references(c, id)) {
            if (existing.childId().equals(wanted.get(existing.name())) && !kept.containsKey(existing.name())) {
                kept.put(existing.name(), existing.childId());
            } else {
                documents.deleteReference(c, existing.id());
            }
        }
        for (Map.Entry<String, UUID> reference : wanted.entrySet()) {
            if (!kept.containsKey(reference.getKey())) {
                documents.addReference(c, id, reference.getValue(), reference.getKey());
            }
        }
    }

    private List<BlockDocument> documents(Connection c, List<BlockDocumentRepository.Row> rows, boolean includeSecrets) throws SQLException {
        List<BlockDocument> out = new ArrayList<>();
        Map<UUID, BlockSchema> schemasRead = new HashMap<>();
        for (BlockDocumentRepository.Row row : rows) {
            out.add(document(c, row, includeSecrets, schemasRead));
        }
        return out;
    }

    /**
     * A document as answered: own secrets masked by its schema, then each referenced document's
     * data (masked by its own schema) filled in. {@code schemasRead} holds the schemas already
     * rebuilt for this answer: a listing's documents mostly share a few.
     */
    private BlockDocument document(Connection c, BlockDocumentRepository.Row row, boolean includeSecrets, Map<UUID, BlockSchema> schemasRead)
            throws SQLException {
        BlockSchema schema = schemasRead.get(row.blockSchemaId());
        if (schema == null) {
            schema = schemas.full(c, schemaRows.byId(c, row.blockSchemaId()));
            schemasRead.put(row.blockSchemaId(), schema);
        }
        ObjectNode stored = cipher.open(c, row.data());
        ObjectNode data = includeSecrets ? stored : new SecretFields(schema.fields()).obfuscated(stored);
        ObjectNode references = JsonNodeFactory.instance.objectNode();
        for (BlockDocumentRepository.Reference reference : documents.references(c, row.id())) {
            BlockDocument child = document(c, documents.byId(c, reference.childId()), includeSecrets, schemasRead);
            data.set(reference.name(), child.data());
            ObjectNode summary = references.putObject(reference.name()).putObject("block_document");
            summary.put("id", child.id().toString());
            summary.put("name", child.name());
            summary.set("block_type", child.blockType().toJson());
            summary.put("is_anonymous", child.isAnonymous());
            summary.set("block_document_references", child.blockDocumentReferences());
        }
        return new BlockDocument(row.id(), row.created(), row.updated(), row.name(), data, schema, types.byId(c, row.blockTypeId()), references,
                row.isAnonymous());
    }

    private record Separated(ObjectNode data, Map<String, UUID> references) {
    }

    /** Upstream's {@code _separate_block_references_from_data}: top-level {@code {"$ref": {...}}} values become references. */
    private static Separated separate(ObjectNode data) {
        ObjectNode plain = JsonNodeFactory.instance.objectNode();
        Map<String, UUID> references = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : data.properties()) {
            JsonNode value = field.getValue();
            if (value.isObject() && value.has("$ref")) {
                UUID target = Ids.parseOrNull(value.get("$ref").path("block_document_id").asText(null));
                if (target == null) {
                    throw ApiException.detail(400, "Received block reference without a block_document_id in key " + field.getKey());
                }
                references.put(field.getKey(), target);
            } else {
                plain.set(field.getKey(), value);
            }
        }
        return new Separated(plain, references);
    }
}
