package org.openprefect.migrations;

/** Hears about each revision as it is applied or rolled back, so long operations can show progress. */
public interface MigrationListener {
    MigrationListener SILENT = new MigrationListener() {
    };

    default void applying(String revision, String description) {
    }

    default void rollingBack(String revision, String description) {
    }
}
