package org.openprefect.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops every table found in the database, as upstream's {@code database reset} does before
 * upgrading, and on PostgreSQL the functions of the schema (r0009's trigger function) that no
 * extension owns (pg_trgm's stay with their extension).
 */
final class SchemaReset {
    private final Connection connection;
    private final Dialect dialect;

    SchemaReset(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    void dropAllTables() throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                // Foreign-key actions would otherwise run for every dropped table.
                s.execute("PRAGMA foreign_keys = OFF");
                try {
                    for (String table : names(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                        s.execute("DROP TABLE IF EXISTS \"" + table.replace("\"", "\"\"") + "\"");
                    }
                } finally {
                    s.execute("PRAGMA foreign_keys = ON");
                }
            } else {
                for (String table : names(s, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                    s.execute("DROP TABLE IF EXISTS \"" + table.replace("\"", "\"\"") + "\" CASCADE");
                }
                for (String function : names(s, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")) {
                    s.execute("DROP FUNCTION IF EXISTS " + function + " CASCADE");
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<String> names(Statement s, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
