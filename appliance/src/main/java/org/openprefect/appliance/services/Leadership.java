package org.openprefect.appliance.services;

import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseKind;

/**
 * Which server runs a loop's passes when several servers share one database. Upstream runs every
 * loop in every server process; with replicas behind one PostgreSQL that means each overdue run is
 * marked late by each replica and each schedule is expanded by each. Here one server at a time holds
 * a loop's lock and runs it; the others stand by and take over when it goes away.
 */
public interface Leadership extends AutoCloseable {
    /** True when this server may run the next pass: it holds the loop's lock, or has just taken it. */
    boolean holds();

    /** Gives the lock up, so that a standby server takes over at its next pass. */
    @Override
    void close();

    /** A single server (SQLite, or a loop that is safe to run everywhere): always leads. */
    static Leadership alone() {
        return new Leadership() {
            @Override
            public boolean holds() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A PostgreSQL advisory lock per loop; on SQLite the server is alone with its file. */
    static Leadership of(Database db, String loop) {
        return db.kind() == DatabaseKind.POSTGRESQL ? new AdvisoryLockLeadership(db, loop) : alone();
    }
}
