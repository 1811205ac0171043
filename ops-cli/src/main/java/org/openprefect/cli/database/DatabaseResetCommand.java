package org.openprefect.cli.database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefect server database reset}: drops every table and migrates to head. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Drop and recreate all tables: an empty database at the newest revision. All data is lost.",
        footer = {"", "Exit codes: 0 reset, 1 aborted or failed."})
public final class DatabaseResetCommand extends MigratorCommand {
    @Mixin
    ConfirmOption confirmation;

    @Override
    protected int run() {
        confirm(confirmation.yes, "Are you sure you want to reset the Prefect database located at \"" + maskedUrl()
                + "\"? This will drop and recreate all tables.", "Database reset aborted");
        return withMigrator(m -> {
            console().println("Downgrading database...");
            console().println("Upgrading database...");
            m.reset();
            console().println("Prefect database \"" + maskedUrl() + "\" reset!");
            return 0;
        });
    }
}
