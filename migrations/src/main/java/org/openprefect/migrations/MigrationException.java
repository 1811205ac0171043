package org.openprefect.migrations;

/** A migration could not run; the message says why and what the operator can do. */
public class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
