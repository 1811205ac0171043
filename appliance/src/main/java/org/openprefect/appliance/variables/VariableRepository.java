package org.openprefect.appliance.variables;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL of {@code variable}. */
public final class VariableRepository implements Filterable<Variable> {
    private static final String COLUMNS = "variable.id, variable.created, variable.updated, variable.name, variable.value, variable.tags";

    /** Which variable: by id or by name, the two ways the API names one. */
    public record Key(String condition, String value) {
        public static Key id(UUID id) {
            return new Key("id = ?", id.toString());
        }

        public static Key name(String name) {
            return new Key("name = ?", name);
        }
    }

    private final SqlDialect dialect;
    private final FilterSql filters;

    public VariableRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
    }

    /** False when the name is taken. */
    public boolean insert(Connection c, UUID id, String name, JsonNode value, List<String> tags) throws SQLException {
        String now = dialect.timestamp(Times.now());
        return Rows.update(c, "INSERT INTO variable (id, created, updated, name, value, tags) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                Arrays.asList(id.toString(), now, now, name, value, Json.MAPPER.valueToTree(tags))) > 0;
    }

    public Variable byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM variable WHERE id = ?", List.of(id.toString()), this::variable);
    }

    public Variable byName(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM variable WHERE name = ?", List.of(name), this::variable);
    }

    public boolean exists(Connection c, Key key) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM variable WHERE " + key.condition(), List.of(key.value())) > 0;
    }

    /** The columns given (name, value, tags); false when there is no such variable. */
    public boolean update(Connection c, Key key, Map<String, ?> columns) throws SQLException {
        return Rows.updateColumns(c, "variable", columns, dialect.timestamp(Times.now()), key.condition(), List.of(key.value())) > 0;
    }

    public boolean delete(Connection c, Key key) throws SQLException {
        return Rows.update(c, "DELETE FROM variable WHERE " + key.condition(), List.of(key.value())) > 0;
    }

    @Override
    public Where where(JsonNode body) {
        return filters.variables(body.get("variables"));
    }

    @Override
    public List<Variable> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM variable", where, orderBy(sort), limit, offset, this::variable);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM variable WHERE " + where.sql(), where.params());
    }

    private static String orderBy(String sort) {
        return switch (sort) {
            case "CREATED_DESC" -> "variable.created DESC";
            case "UPDATED_DESC" -> "variable.updated DESC";
            case "NAME_DESC" -> "variable.name DESC";
            default -> "variable.name";
        };
    }

    private Variable variable(ResultSet rs) throws SQLException {
        return new Variable(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"), rs.getString("name"),
                Rows.json(rs, "value"), Json.texts(Rows.json(rs, "tags")));
    }
}
