package org.openprefect.migrations;

/** Another migrator holds the lock and did not release it in time. */
public class MigrationLockedException extends MigrationException {
    public MigrationLockedException(String message) {
        super(message);
    }
}
