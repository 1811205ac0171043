package org.openprefect.cli.doctor;

import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DirectConnections;
import org.openprefect.migrations.MigrationException;
import org.openprefect.migrations.Migrator;
import org.openprefect.migrations.Revision;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The migrations section: where the schema is, what is pending, a database ahead of this build, edited changesets, a held lock. */
final class MigrationChecks {
    static final String SECTION = "migrations";

    private MigrationChecks() {
    }

    static List<Finding> run(DatabaseConfig config) {
        List<Finding> out = new ArrayList<>();
        try (Connection c = DirectConnections.open(config)) {
            Migrator m = new Migrator(c, ServerVersion.current().buildVersion());
            List<String> unknown = m.unknownRevisions();
            if (!unknown.isEmpty()) {
                out.add(Finding.fail(SECTION, "ahead", "The database is at revision " + unknown.getLast() + ", which this build does not know"
                        + m.lastWriter().map(w -> " (last migrated by " + w + ")").orElse("") + ".",
                        "Run the newer build, or restore the backup taken before the upgrade."));
                return out;
            }
            out.add(Finding.ok(SECTION, "current", "Current revision: " + m.current().orElse("base (no schema)") + "."));
            List<String> pending = m.history().stream().filter(r -> !r.applied()).map(Revision::id).toList();
            out.add(pending.isEmpty() ? Finding.ok(SECTION, "pending", "No revision is pending.")
                    : Finding.warn(SECTION, "pending", "Pending revisions: " + String.join(", ", pending) + ".",
                    "Back up, then run `prefect server database upgrade -y` (or start the server with migrate-on-start). "
                            + "`prefect server database upgrade --dry-run` shows the SQL."));
            List<String> drifted = m.checksumDrift();
            out.add(drifted.isEmpty() ? Finding.ok(SECTION, "checksums", "Every applied changeset matches this build's changelog.")
                    : Finding.fail(SECTION, "checksums", "Applied changesets differ from this build's changelog: " + String.join(", ", drifted)
                    + ". An upgrade refuses to run until this is resolved.",
                    "Use the build that applied them. If only the file's text changed on purpose, clear the stored checksum so it is "
                            + "recomputed: UPDATE DATABASECHANGELOG SET MD5SUM = NULL WHERE ID IN ('" + String.join("', '", drifted) + "');"));
            out.add(m.lock().map(l -> Finding.warn(SECTION, "lock", "The migration lock is " + l.describe() + ".",
                            "If no migration is running, clear it: prefect server database release-lock -y"))
                    .orElse(Finding.ok(SECTION, "lock", "The migration lock is free.")));
        } catch (SQLException | MigrationException e) {
            out.add(Finding.fail(SECTION, "current", "The migration state cannot be read: " + e.getMessage(),
                    "Fix the database connection first (see the database section)."));
        }
        return out;
    }
}
