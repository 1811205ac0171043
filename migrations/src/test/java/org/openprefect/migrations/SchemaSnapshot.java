package org.openprefect.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The schema as the database itself reports it (tables, columns, indexes, constraints), for comparisons. */
final class SchemaSnapshot {
    private SchemaSnapshot() {
    }

    static List<String> of(Connection c) throws SQLException {
        String query = Dialect.of(c) == Dialect.SQLITE
                ? "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
                + "WHERE name NOT LIKE 'sqlite_%' AND upper(name) NOT LIKE 'DATABASECHANGELOG%' ORDER BY type, name"
                : "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'databasechangelog%' "
                + "UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename NOT LIKE 'databasechangelog%' "
                + "UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE connamespace = current_schema()::regnamespace ORDER BY 1";
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    static List<String> tables(Connection c) throws SQLException {
        String query = Dialect.of(c) == Dialect.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1).toLowerCase());
            }
        }
        return rows;
    }
}
