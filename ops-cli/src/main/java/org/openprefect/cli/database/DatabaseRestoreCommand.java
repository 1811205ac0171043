package org.openprefect.cli.database;

import org.openprefect.appliance.db.DatabaseKind;
import org.openprefect.appliance.db.DatabaseUrl;
import org.openprefect.appliance.db.DirectConnections;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** {@code prefect server database restore FILE}: replaces the SQLite database with a backup, after checking the backup. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Replace the SQLite database with a backup made by `prefect server database backup`. Stop the server first.",
        footer = {"", "Exit codes: 0 restored, 1 aborted, the backup is not a sound OpenPrefect database, or the database is PostgreSQL."})
public final class DatabaseRestoreCommand extends DatabaseAccessCommand {
    @Parameters(paramLabel = "FILE", description = "The backup to restore.")
    Path backup;

    @Mixin
    ConfirmOption confirmation;

    @Override
    protected int run() throws Exception {
        DatabaseUrl url = config().url();
        if (url.kind() == DatabaseKind.POSTGRESQL) {
            throw new CliError("This database is PostgreSQL: restore a pg_dump archive with pg_restore (see docs/upgrade.md).");
        }
        if (!Files.isRegularFile(backup)) {
            throw new CliError("No backup file at " + backup + ".");
        }
        checkBackup();
        confirm(confirmation.yes, "Replace the database at " + maskedUrl() + " with " + backup + "? Everything written since the backup is lost.",
                "Restore aborted.");
        try (Connection c = DirectConnections.open(config()); Statement s = c.createStatement()) {
            s.executeUpdate("restore from " + backup.toAbsolutePath());
        } catch (SQLException e) {
            throw new CliError("Restore failed (is the server still running?): " + e.getMessage());
        }
        console().println("Restored " + maskedUrl() + " from " + backup + ".");
        return 0;
    }

    /** The backup must be an intact SQLite file holding our migration history. */
    private void checkBackup() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + backup.toAbsolutePath() + "?mode=ro");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new CliError("The backup " + backup + " is damaged: " + result + ". Nothing was changed.");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM DATABASECHANGELOG")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new CliError("The backup " + backup + " is not an OpenPrefect SQLite database (" + e.getMessage() + "). Nothing was changed.");
        }
    }
}
