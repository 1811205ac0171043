package org.openprefect.cli.database;

import picocli.CommandLine.Command;

/** {@code prefect server database ...}: the schema of the database the server uses. */
@Command(name = "database", mixinStandardHelpOptions = true,
        description = "Manage the database at PREFECT_SERVER_DATABASE_CONNECTION_URL: migrate, roll back, inspect.",
        subcommands = {DatabaseUpgradeCommand.class, DatabaseDowngradeCommand.class, DatabaseResetCommand.class,
                DatabaseStampCommand.class, DatabaseCurrentCommand.class, DatabaseHistoryCommand.class,
                DatabaseReleaseLockCommand.class, DatabaseBackupCommand.class, DatabaseRestoreCommand.class})
public final class DatabaseCommand {
}
