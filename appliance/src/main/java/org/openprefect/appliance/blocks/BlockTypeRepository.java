package org.openprefect.appliance.blocks;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL of {@code block_type}. */
public final class BlockTypeRepository {
    private static final String COLUMNS = "block_type.id, block_type.created, block_type.updated, block_type.name, block_type.slug, "
            + "block_type.logo_url, block_type.documentation_url, block_type.description, block_type.code_example, block_type.is_protected";

    private final SqlDialect dialect;

    public BlockTypeRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** False when the name or slug is taken. */
    public boolean insert(Connection c, UUID id, BlockTypeFields type, boolean isProtected) throws SQLException {
        String now = dialect.timestamp(Times.now());
        return Rows.update(c, "INSERT INTO block_type (id, created, updated, name, slug, logo_url, documentation_url, description, code_example, "
                + "is_protected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", Arrays.asList(id.toString(), now, now, type.name(),
                type.slug(), type.logoUrl(), type.documentationUrl(), type.description(), type.codeExample(), isProtected)) > 0;
    }

    public BlockType byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_type WHERE id = ?", List.of(id.toString()), this::blockType);
    }

    public BlockType bySlug(Connection c, String slug) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_type WHERE slug = ?", List.of(slug), this::blockType);
    }

    /** Block types by name, as upstream orders them. */
    public List<BlockType> list(Connection c, Where where, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM block_type", where, "block_type.name", limit, offset, this::blockType);
    }

    /** The columns given (logo_url, documentation_url, description, code_example, is_protected); false when there is no such type. */
    public boolean update(Connection c, UUID id, Map<String, ?> columns) throws SQLException {
        return Rows.updateColumns(c, "block_type", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString())) > 0;
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM block_type WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** The condition "this block type has a schema matching {@code schemas}" for the type listing. */
    public static Where withSchemasMatching(Where schemas) {
        return new Where().exists("SELECT 1 FROM block_schema WHERE block_schema.block_type_id = block_type.id", schemas);
    }

    BlockType blockType(ResultSet rs) throws SQLException {
        return new BlockType(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"), rs.getString("name"),
                rs.getString("slug"), rs.getString("logo_url"), rs.getString("documentation_url"), rs.getString("description"),
                rs.getString("code_example"), rs.getBoolean("is_protected"));
    }
}
