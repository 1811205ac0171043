package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.DataAccessException;
import org.openprefect.appliance.db.Database;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The block types upstream registers at start (its own blocks and the integrations' catalogue),
 * with the schemas we have of them, as recorded from upstream 3.4.25's answers
 * ({@code blocks/system-block-types.json}). Installed at every start and by
 * {@code POST /block_types/install_system_block_types}: missing types are added, known ones get
 * the catalogue's metadata, missing schemas are registered; nothing a user saved is touched.
 */
public final class SystemBlockTypes {
    private static final String CATALOGUE = "/blocks/system-block-types.json";

    private final Database db;
    private final BlockTypeRepository types;
    private final BlockSchemaService schemas;

    public SystemBlockTypes(Database db, BlockSchemaService schemas) {
        this.db = db;
        this.types = new BlockTypeRepository(db.dialect());
        this.schemas = schemas;
    }

    public void install() {
        JsonNode catalogue = catalogue();
        db.write(c -> {
            for (JsonNode t : catalogue.get("block_types")) {
                BlockTypeFields fields = BlockTypeFields.from(t);
                boolean isProtected = t.path("is_protected").asBoolean();
                BlockType existing = types.bySlug(c, fields.slug());
                if (existing == null) {
                    types.insert(c, UUID.randomUUID(), fields, isProtected);
                } else if (!sameMetadata(existing, fields, isProtected)) {
                    Map<String, Object> columns = new LinkedHashMap<>();
                    columns.put("logo_url", fields.logoUrl());
                    columns.put("documentation_url", fields.documentationUrl());
                    columns.put("description", fields.description());
                    columns.put("code_example", fields.codeExample());
                    columns.put("is_protected", isProtected);
                    types.update(c, existing.id(), columns);
                }
            }
            return null;
        });
        for (JsonNode s : catalogue.get("block_schemas")) {
            UUID typeId = db.read(c -> types.bySlug(c, s.get("block_type_slug").asText())).id();
            try {
                schemas.create((ObjectNode) s.get("fields").deepCopy(), typeId, Json.texts(s.get("capabilities")), s.get("version").asText());
            } catch (DataAccessException e) {
                // Another server starting on the same database registered it between our look-up and our insert.
                if (!e.isIntegrityViolation()) {
                    throw e;
                }
            }
        }
    }

    private static boolean sameMetadata(BlockType t, BlockTypeFields f, boolean isProtected) {
        return t.isProtected() == isProtected && Objects.equals(t.logoUrl(), f.logoUrl())
                && Objects.equals(t.documentationUrl(), f.documentationUrl())
                && Objects.equals(t.description(), f.description()) && Objects.equals(t.codeExample(), f.codeExample());
    }

    static JsonNode catalogue() {
        try (InputStream in = SystemBlockTypes.class.getResourceAsStream(CATALOGUE)) {
            if (in == null) {
                throw new IllegalStateException("the build lacks " + CATALOGUE);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
