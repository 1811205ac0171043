package org.openprefect.cli.database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** {@code prefect server database upgrade}: applies pending revisions. */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Upgrade the database schema (to head, or to -r REVISION).",
        footer = {"", "Exit codes: 0 upgraded or already current, 1 refused or failed (nothing half-applied: each revision is one transaction)."})
public final class DatabaseUpgradeCommand extends MigratorCommand {
    @Mixin
    ConfirmOption confirmation;

    @Option(names = {"-r", "--revision"}, paramLabel = "REV", defaultValue = "head",
            description = "Target: a revision id, head, or +N. Default: ${DEFAULT-VALUE}.")
    String revision;

    @Option(names = "--dry-run", description = "Print the SQL that would run instead of running it.")
    boolean dryRun;

    @Override
    protected int run() {
        return migrate(confirmation.yes, dryRun, "upgrade", m -> m.upgradeSql(revision), m -> m.upgrade(revision));
    }
}
