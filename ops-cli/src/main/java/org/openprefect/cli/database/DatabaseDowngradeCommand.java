package org.openprefect.cli.database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** {@code prefect server database downgrade}: rolls back, one revision unless told otherwise. */
@Command(name = "downgrade", mixinStandardHelpOptions = true,
        description = "Downgrade the database schema: one revision back, or to -r REVISION|-N|base.",
        footer = {"", "Back up first (docs/upgrade.md). Exit codes: 0 downgraded or nothing to do, 1 refused or failed."})
public final class DatabaseDowngradeCommand extends MigratorCommand {
    @Mixin
    ConfirmOption confirmation;

    @Option(names = {"-r", "--revision"}, paramLabel = "REV", defaultValue = "-1",
            description = "Target: a revision id, -N, or base (everything). Default: ${DEFAULT-VALUE} (one step).")
    String revision;

    @Option(names = "--dry-run", description = "Print the SQL that would run instead of running it.")
    boolean dryRun;

    @Override
    protected int run() {
        return migrate(confirmation.yes, dryRun, "downgrade", m -> m.downgradeSql(revision), m -> m.downgrade(revision));
    }
}
