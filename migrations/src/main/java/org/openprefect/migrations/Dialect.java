package org.openprefect.migrations;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database a connection leads to, named as Liquibase's {@code dbms} attribute names it. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String dbms;

    Dialect(String dbms) {
        this.dbms = dbms;
    }

    public String dbms() {
        return dbms;
    }

    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("sqlite")) {
            return SQLITE;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new MigrationException("Unsupported database " + product + ": use SQLite or PostgreSQL.");
    }
}
