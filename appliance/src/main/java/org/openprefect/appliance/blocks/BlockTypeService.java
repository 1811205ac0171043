package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Block types: what the API does with them, as plain methods. */
public final class BlockTypeService {
    private static final String NOT_FOUND = "Block type not found";

    private final Database db;
    private final BlockTypeRepository types;
    private final FilterSql filters;
    private final int defaultLimit;

    public BlockTypeService(Database db, int defaultLimit) {
        this.db = db;
        this.types = new BlockTypeRepository(db.dialect());
        this.filters = new FilterSql(db.dialect());
        this.defaultLimit = defaultLimit;
    }

    public BlockType create(BlockTypeFields type) {
        if (type.name().toLowerCase().startsWith("prefect")) {
            throw ApiException.detail(403, "Block type names beginning with 'Prefect' are reserved.");
        }
        return db.write(c -> {
            UUID id = UUID.randomUUID();
            if (!types.insert(c, id, type, false)) {
                throw ApiException.detail(409, "Block type with name \"" + type.name() + "\" already exists");
            }
            return types.byId(c, id);
        });
    }

    public BlockType read(UUID id) {
        return ApiException.found(db.read(c -> types.byId(c, id)), NOT_FOUND);
    }

    public BlockType readBySlug(String slug) {
        return ApiException.found(db.read(c -> types.bySlug(c, slug)), NOT_FOUND);
    }

    public List<BlockType> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = new Where().add(filters.blockTypes(body.get("block_types")), false)
                .add(BlockTypeRepository.withSchemasMatching(filters.blockSchemas(body.get("block_schemas"))), false);
        return db.read(c -> types.list(c, where, paging.limit(), paging.offset()));
    }

    /**
     * {@code PATCH}: only the fields sent, and only when one differs from what is stored, as
     * upstream's {@code _should_update_block_type} decides (so re-registering a type changes nothing).
     */
    public void update(UUID id, JsonNode body) {
        db.write(c -> {
            BlockType current = ApiException.found(types.byId(c, id), NOT_FOUND);
            Map<String, Object> changed = new LinkedHashMap<>();
            changedField(body, "logo_url", current.logoUrl(), changed);
            changedField(body, "documentation_url", current.documentationUrl(), changed);
            changedField(body, "description", current.description(), changed);
            changedField(body, "code_example", current.codeExample(), changed);
            if (!changed.isEmpty()) {
                types.update(c, id, changed);
            }
            return null;
        });
    }

    public void delete(UUID id) {
        db.write(c -> {
            BlockType current = ApiException.found(types.byId(c, id), NOT_FOUND);
            if (current.isProtected()) {
                throw ApiException.detail(403, "protected block types cannot be deleted.");
            }
            return types.delete(c, id);
        });
    }

    private static void changedField(JsonNode body, String field, String stored, Map<String, Object> changed) {
        if (body.has(field)) {
            String sent = body.get(field).isNull() ? null : body.get(field).asText();
            if (!Objects.equals(sent, stored)) {
                changed.put(field, sent);
            }
        }
    }
}
