package org.openprefect.appliance.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import org.openprefect.appliance.common.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small JDBC helpers every repository uses: bind a parameter list, map rows, read JSON and UUIDs. */
public final class Rows {
    private Rows() {
    }

    /** A statement for one use: closed after it, or given back clean to a connection that keeps its statements. */
    private record Use(PreparedStatement statement, boolean kept) implements AutoCloseable {
        static Use of(Connection c, String sql) throws SQLException {
            return new Use(c.prepareStatement(sql), StatementCache.keeps(c));
        }

        @Override
        public void close() throws SQLException {
            if (kept) {
                statement.clearParameters();
                statement.clearBatch();
            } else {
                statement.close();
            }
        }
    }

    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static <T> List<T> query(Connection c, String sql, List<?> params, Mapper<T> mapper) throws SQLException {
        try (Use use = Use.of(c, sql)) {
            PreparedStatement ps = use.statement();
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public static <T> T queryOne(Connection c, String sql, List<?> params, Mapper<T> mapper) throws SQLException {
        List<T> rows = query(c, sql, params, mapper);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    /** One page of {@code select} (everything up to WHERE) under {@code where}, in {@code orderBy} order. */
    public static <T> List<T> page(Connection c, String select, Where where, String orderBy,
                                   int limit, int offset, Mapper<T> mapper) throws SQLException {
        List<Object> params = new ArrayList<>(where.params());
        params.add(limit);
        params.add(offset);
        return query(c, select + " WHERE " + where.sql() + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", params, mapper);
    }

    public static int update(Connection c, String sql, List<?> params) throws SQLException {
        try (Use use = Use.of(c, sql)) {
            PreparedStatement ps = use.statement();
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Runs one statement for each row of parameters as one JDBC batch (one round trip on PostgreSQL); each row's count. */
    public static int[] updateEach(Connection c, String sql, List<? extends List<?>> rows) throws SQLException {
        try (Use use = Use.of(c, sql)) {
            PreparedStatement ps = use.statement();
            for (List<?> row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /**
     * {@code UPDATE table SET column = ?, ... , updated = ? WHERE condition}: the given columns (values
     * bound as {@link #bind} binds them) and the {@code updated} stamp; the number of rows changed.
     */
    public static int updateColumns(Connection c, String table, Map<String, ?> columns, Object updated, String condition,
                                    List<?> conditionParams) throws SQLException {
        StringBuilder sets = new StringBuilder();
        List<Object> params = new ArrayList<>();
        columns.forEach((column, value) -> {
            sets.append(column).append(" = ?, ");
            params.add(value);
        });
        params.add(updated);
        params.addAll(conditionParams);
        return update(c, "UPDATE " + table + " SET " + sets + "updated = ? WHERE " + condition, params);
    }

    public static long count(Connection c, String sql, List<?> params) throws SQLException {
        Long n = queryOne(c, sql, params, rs -> rs.getLong(1));
        return n == null ? 0 : n;
    }

    /** Every value as text (UUIDs, JSON, timestamps already formatted) or as its SQL type (numbers, booleans). */
    public static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            switch (p) {
                case null -> ps.setObject(i + 1, null);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case Double d -> ps.setDouble(i + 1, d);
                case Boolean b -> ps.setBoolean(i + 1, b);
                case JsonNode j -> ps.setString(i + 1, jsonText(j));
                default -> ps.setString(i + 1, p.toString());
            }
        }
    }

    /** A JSON document as the text its column stores: null for JSON null or a missing one. */
    public static String jsonText(JsonNode j) {
        return jsonText(j, new StringBuilder(64));
    }

    private static String jsonText(JsonNode j, StringBuilder buffer) {
        return j == null || j.isNull() || j.isMissingNode() ? null : Json.compact(j, buffer);
    }

    /**
     * The values with their JSON documents already written as text (as {@link #bind} would write
     * them), so that binding them later, inside a transaction, is a copy. The documents of a row are
     * written one after another in one buffer.
     */
    public static List<Object> withJsonAsText(List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        StringBuilder buffer = new StringBuilder(512);
        for (Object v : values) {
            out.add(v instanceof JsonNode j ? jsonText(j, buffer) : v);
        }
        return out;
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : UUID.fromString(s);
    }

    public static JsonNode json(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        if (s == null || s.equals("null")) {
            return NullNode.getInstance();
        }
        // Most JSON columns hold an empty object or list; skip the parser for those.
        if (s.equals("{}")) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (s.equals("[]")) {
            return JsonNodeFactory.instance.arrayNode();
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " holds invalid JSON", e);
        }
    }

    public static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
