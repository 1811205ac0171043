package org.openprefect.appliance.db;

import java.sql.SQLException;

/** An SQL error inside {@link Database#read} or {@link Database#write}; the transaction was rolled back. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }

    /** SQLSTATE class 23 (PostgreSQL) or SQLite's constraint codes: a unique or foreign key was violated. */
    public boolean isIntegrityViolation() {
        SQLException e = sqlException();
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || (e.getErrorCode() == 19) || String.valueOf(e.getMessage()).contains("CONSTRAINT");
    }
}
