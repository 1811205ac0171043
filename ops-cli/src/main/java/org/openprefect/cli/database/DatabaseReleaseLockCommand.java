package org.openprefect.cli.database;

import org.openprefect.migrations.MigrationLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;

/** {@code prefect server database release-lock}: clears a migration lock left by a killed migrator. */
@Command(name = "release-lock", mixinStandardHelpOptions = true,
        description = "Clear the migration lock left behind by a migration that was killed. "
                + "Only do this when no migration is running.",
        footer = {"", "Exit codes: 0 released or no lock held, 1 aborted or the database could not be reached."})
public final class DatabaseReleaseLockCommand extends MigratorCommand {
    @Mixin
    ConfirmOption confirmation;

    @Override
    protected int run() {
        return withMigrator(m -> {
            Optional<MigrationLock> held = m.lock();
            if (held.isEmpty()) {
                console().println("No migration lock is held.");
                return 0;
            }
            confirm(confirmation.yes, "The migration lock is " + held.get().describe() + ". Release it?", "Lock release aborted.");
            m.releaseLock();
            console().println("Released the migration lock (" + held.get().describe() + ").");
            return 0;
        });
    }
}
