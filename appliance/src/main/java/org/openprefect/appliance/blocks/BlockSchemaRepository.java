package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/** All SQL of {@code block_schema} and {@code block_schema_reference}. */
public final class BlockSchemaRepository {
    private static final String COLUMNS = "block_schema.id, block_schema.created, block_schema.updated, block_schema.checksum, "
            + "block_schema.fields, block_schema.capabilities, block_schema.version, block_schema.block_type_id";

    /** A row as stored: fields without their references and without the nested blocks' definitions. */
    public record Row(UUID id, Instant created, Instant updated, String checksum, ObjectNode fields, List<String> capabilities, String version,
                      UUID blockTypeId) {
    }

    /** A reference row: the parent's field {@code name} holds a block of schema {@code childId}. */
    public record Reference(String name, UUID childId) {
    }

    private final SqlDialect dialect;

    public BlockSchemaRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public void insert(Connection c, Row row) throws SQLException {
        Rows.update(c, "INSERT INTO block_schema (id, created, updated, checksum, fields, capabilities, version, block_type_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                List.of(row.id().toString(), dialect.timestamp(row.created()), dialect.timestamp(row.updated()), row.checksum(), row.fields(),
                        Json.MAPPER.valueToTree(row.capabilities()), row.version(), row.blockTypeId().toString()));
    }

    public Row byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_schema WHERE id = ?", List.of(id.toString()), this::row);
    }

    /** The newest schema with the checksum (and the version, when one is given). */
    public Row byChecksum(Connection c, String checksum, String version) throws SQLException {
        return version == null
                ? Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_schema WHERE checksum = ? ORDER BY created DESC LIMIT 1", List.of(checksum),
                this::row)
                : Rows.queryOne(c, "SELECT " + COLUMNS + " FROM block_schema WHERE checksum = ? AND version = ? ORDER BY created DESC LIMIT 1",
                List.of(checksum, version), this::row);
    }

    /** Schemas newest first, as upstream lists them (so {@code limit: 1} is a type's newest schema). */
    public List<Row> list(Connection c, Where where, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM block_schema", where, "block_schema.created DESC, block_schema.id", limit, offset, this::row);
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM block_schema WHERE id = ?", List.of(id.toString())) > 0;
    }

    public List<Reference> references(Connection c, UUID parentId) throws SQLException {
        return Rows.query(c, "SELECT name, reference_block_schema_id FROM block_schema_reference WHERE parent_block_schema_id = ? "
                + "ORDER BY created, id", List.of(parentId.toString()), rs -> new Reference(rs.getString("name"),
                Rows.uuid(rs, "reference_block_schema_id")));
    }

    /** Links parent and child under {@code name} unless that link exists already. */
    public void addReference(Connection c, UUID parentId, UUID childId, String name) throws SQLException {
        boolean exists = Rows.count(c, "SELECT count(*) FROM block_schema_reference WHERE parent_block_schema_id = ? "
                + "AND reference_block_schema_id = ? AND name = ?", List.of(parentId.toString(), childId.toString(), name)) > 0;
        if (!exists) {
            String now = dialect.timestamp(Times.now());
            Rows.update(c, "INSERT INTO block_schema_reference (id, created, updated, name, parent_block_schema_id, reference_block_schema_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", List.of(UUID.randomUUID().toString(), now, now, name, parentId.toString(), childId.toString()));
        }
    }

    /** Every capability some schema declares, sorted. */
    public List<String> capabilities(Connection c) throws SQLException {
        TreeSet<String> all = new TreeSet<>();
        for (List<String> declared : Rows.query(c, "SELECT DISTINCT " + dialect.jsonText("capabilities") + " AS capabilities FROM block_schema",
                List.of(), rs -> Json.texts(Rows.json(rs, "capabilities")))) {
            all.addAll(declared);
        }
        return new ArrayList<>(all);
    }

    private Row row(ResultSet rs) throws SQLException {
        List<String> capabilities = Json.texts(Rows.json(rs, "capabilities"));
        ObjectNode fields = Rows.json(rs, "fields") instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        return new Row(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"), rs.getString("checksum"),
                fields, capabilities, rs.getString("version"), Rows.uuid(rs, "block_type_id"));
    }
}
