package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** All SQL of {@code block_document} and {@code block_document_reference}. */
public final class BlockDocumentRepository {
    private static final String COLUMNS = "block_document.id, block_document.created, block_document.updated, block_document.name, "
            + "block_document.data, block_document.is_anonymous, block_document.block_type_id, block_document.block_schema_id";

    /** A row as stored: {@code data} without the fields that reference other documents, encrypted ({@link BlockDataCipher}). */
    public record Row(UUID id, Instant created, Instant updated, String name, JsonNode data, boolean isAnonymous, UUID blockTypeId,
                      UUID blockSchemaId) {
    }

    /** The parent's field {@code name} holds document {@code childId}. */
    public record Reference(UUID id, String name, UUID childId) {
    }

    private final SqlDialect dialect;

    public BlockDocumentRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public void insert(Connection c, Row row, String blockTypeName) throws SQLException {
        Rows.update(c, "INSERT INTO block_document (id, created, updated, name, data, is_anonymous, block_type_name, block_type_id, block_schema_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", List.of(row.id().toString(), dialect.timestamp(row.created()), dialect.timestamp(row.updated()),
                row.name(), row.data(), row.isAnonymous(), blockTypeName, row.blockTypeId().toString(), row.blockSchemaId().toString()));
    }

    public boolean exists(Connection c, UUID blockTypeId, String name) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM block_document WHERE block_type_id = ? AND name = ?", List.of(blockTypeId.toString(), name)) > 0;
    }

    public Row byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_document WHERE id = ?", List.of(id.toString()), this::row);
    }

    public Row byTypeSlugAndName(Connection c, String slug, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_document JOIN block_type ON block_type.id = block_document.block_type_id "
                + "WHERE block_type.slug = ? AND block_document.name = ?", List.of(slug, name), this::row);
    }

    public List<Row> list(Connection c, Where where, String orderBy, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM block_document", where, orderBy, limit, offset, this::row);
    }

    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM block_document WHERE " + where.sql(), where.params());
    }

    public void update(Connection c, UUID id, JsonNode data, UUID blockSchemaId) throws SQLException {
        Rows.update(c, "UPDATE block_document SET data = ?, block_schema_id = ?, updated = ? WHERE id = ?",
                List.of(data, blockSchemaId.toString(), dialect.timestamp(Times.now()), id.toString()));
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM block_document WHERE id = ?", List.of(id.toString())) > 0;
    }

    public List<Reference> references(Connection c, UUID parentId) throws SQLException {
        return Rows.query(c, "SELECT id, name, reference_block_document_id FROM block_document_reference WHERE parent_block_document_id = ? "
                + "ORDER BY created, id", List.of(parentId.toString()), rs -> new Reference(Rows.uuid(rs, "id"), rs.getString("name"),
                Rows.uuid(rs, "reference_block_document_id")));
    }

    public void addReference(Connection c, UUID parentId, UUID childId, String name) throws SQLException {
        String now = dialect.timestamp(Times.now());
        Rows.update(c, "INSERT INTO block_document_reference (id, created, updated, name, parent_block_document_id, reference_block_document_id) "
                + "VALUES (?, ?, ?, ?, ?, ?)", List.of(UUID.randomUUID().toString(), now, now, name, parentId.toString(), childId.toString()));
    }

    public void deleteReference(Connection c, UUID referenceId) throws SQLException {
        Rows.update(c, "DELETE FROM block_document_reference WHERE id = ?", List.of(referenceId.toString()));
    }

    /** Conditions on the document's block type and schema, as upstream's EXISTS clauses. */
    public static Where related(Where blockTypes, Where blockSchemas) {
        return new Where()
                .exists("SELECT 1 FROM block_type WHERE block_type.id = block_document.block_type_id", blockTypes)
                .exists("SELECT 1 FROM block_schema WHERE block_schema.id = block_document.block_schema_id", blockSchemas);
    }

    /** upstream's BlockDocumentSort as ORDER BY. */
    public static String orderBy(String sort) {
        return switch (sort) {
            case "NAME_DESC" -> "block_document.name DESC";
            case "BLOCK_TYPE_AND_NAME_ASC" -> "block_document.block_type_name, block_document.name";
            default -> "block_document.name";
        };
    }

    private Row row(ResultSet rs) throws SQLException {
        return new Row(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"), rs.getString("name"),
                Rows.json(rs, "data"),
                rs.getBoolean("is_anonymous"), Rows.uuid(rs, "block_type_id"), Rows.uuid(rs, "block_schema_id"));
    }
}
