package org.openprefect.cli.database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code prefect server database downgrade}: rolls back, one revision unless told otherwise. */
@Command(name = "downgrade", mixinStandardHelpOptions = true,
        description = "Downgrade the database schema: one revision back, or to -r REVISION|-N|base.",
        footer = {"", "Back up first (docs/upgrade.md). Exit codes: 0 downgraded or nothing to do, 1 refused or failed."})
public final class DatabaseDowngradeCommand extends MigratorCommand {
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = {"-r", "--revision"}, paramLabel = "REV", defaultValue = "-1",
            description = "Target: a revision id, -N, or base (everything). Default: ${DEFAULT-VALUE} (one step).")
    String revision;

    @Option(names = "--dry-run", description = "Print the SQL that would run instead of running it.")
    boolean dryRun;

    @Override
    protected int run() {
        if (dryRun) {
            return withMigrator(m -> {
                console().println(m.downgradeSql(revision));
                return 0;
            });
        }
        confirm(yes, "Are you sure you want to downgrade the Prefect database at " + maskedUrl() + "?", "Database downgrade aborted!");
        console().println("Running downgrade migrations ...");
        return withMigrator(m -> {
            List<String> rolledBack = m.downgrade(revision);
            if (rolledBack.isEmpty()) {
                console().println("Nothing to do: the database is already at " + m.current().orElse("base") + ".");
            }
            console().println("Migrations succeeded!");
            console().println("Prefect database at " + maskedUrl() + " downgraded!");
            return 0;
        });
    }
}
