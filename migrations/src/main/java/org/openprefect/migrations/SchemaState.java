package org.openprefect.migrations;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the migration bookkeeping with plain SQL, without creating it: which changesets ran, who
 * holds the migration lock, whether the database was made by upstream's alembic.
 */
final class SchemaState {
    static final String CHANGELOG_TABLE = "databasechangelog";
    static final String LOCK_TABLE = "databasechangeloglock";

    /** The migration lock as Liquibase records it. */
    record Lock(boolean locked, Timestamp granted, String lockedBy) {
    }

    private final Connection connection;

    SchemaState(Connection connection) {
        this.connection = connection;
    }

    boolean tableExists(String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String candidate : List.of(name, name.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getTables(null, null, candidate, new String[]{"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals(connection.getSchema())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Ids of the changesets that ran, in the order they ran. */
    List<String> appliedChangesets() throws SQLException {
        List<String> ids = new ArrayList<>();
        if (!tableExists(CHANGELOG_TABLE)) {
            return ids;
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + CHANGELOG_TABLE + " ORDER BY orderexecuted")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** The checksum Liquibase stored for each changeset that ran (null where it was cleared). */
    Map<String, String> storedChecksums() throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        if (!tableExists(CHANGELOG_TABLE)) {
            return sums;
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, md5sum FROM " + CHANGELOG_TABLE + " ORDER BY orderexecuted")) {
            while (rs.next()) {
                sums.put(rs.getString(1), rs.getString(2));
            }
        }
        return sums;
    }

    Optional<Lock> lock() throws SQLException {
        if (!tableExists(LOCK_TABLE)) {
            return Optional.empty();
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT locked, lockgranted, lockedby FROM " + LOCK_TABLE + " WHERE id = 1")) {
            if (rs.next()) {
                return Optional.of(new Lock(rs.getBoolean(1), rs.getTimestamp(2), rs.getString(3)));
            }
        }
        return Optional.empty();
    }

    void releaseLock() throws SQLException {
        if (tableExists(LOCK_TABLE)) {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("UPDATE " + LOCK_TABLE + " SET locked = " + falseLiteral() + ", lockgranted = NULL, lockedby = NULL WHERE id = 1");
            }
            commitIfNeeded();
        }
    }

    /** The revision alembic recorded, when upstream Prefect created this database. */
    Optional<String> alembicRevision() throws SQLException {
        if (!tableExists("alembic_version")) {
            return Optional.empty();
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.of("(empty)");
        }
    }

    /** The build that last migrated this database, as recorded in the configuration table. */
    Optional<String> lastWriter() {
        try {
            if (!tableExists("configuration")) {
                return Optional.empty();
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM configuration WHERE key = ?")) {
                ps.setString(1, Migrator.WRITER_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private String falseLiteral() throws SQLException {
        return Dialect.of(connection) == Dialect.SQLITE ? "0" : "false";
    }

    private void commitIfNeeded() throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }
}
