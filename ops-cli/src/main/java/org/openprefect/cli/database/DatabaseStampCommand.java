package org.openprefect.cli.database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code prefect server database stamp REV}: records a revision without running migrations. */
@Command(name = "stamp", mixinStandardHelpOptions = true,
        description = "Record REVISION as the database's revision without running any migration "
                + "(for a database whose schema was changed by hand or restored).",
        footer = {"", "Exit codes: 0 stamped, 1 unknown revision or refused."})
public final class DatabaseStampCommand extends MigratorCommand {
    @Parameters(paramLabel = "REVISION", description = "A revision id, head or base.")
    String revision;

    @Override
    protected int run() {
        console().println("Stamping database with revision " + revision + " ...");
        return withMigrator(m -> {
            m.stamp(revision);
            console().println("Stamping database with revision succeeded!");
            return 0;
        });
    }
}
