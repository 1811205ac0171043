package org.openprefect.appliance.db;

/** The database could not be reached or answered with a retryable error; the API answers 503. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
