package org.openprefect.migrations;

import java.time.Instant;

/** A held migration lock: who took it and when. */
public record MigrationLock(String lockedBy, Instant since) {
    public String describe() {
        return "held by " + (lockedBy == null ? "an unknown process" : lockedBy) + (since == null ? "" : " since " + since);
    }
}
