package org.openprefect.cli.database;

import org.openprefect.appliance.db.DatabaseKind;
import org.openprefect.appliance.db.DatabaseUrl;
import org.openprefect.appliance.db.DirectConnections;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code prefect server database backup}: a consistent copy of the SQLite database, even while the server writes. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent copy of the SQLite database (safe while the server runs). "
                + "For PostgreSQL it prints the pg_dump command to use instead.",
        footer = {"", "Exit codes: 0 written, 1 could not be written (or the database is PostgreSQL)."})
public final class DatabaseBackupCommand extends DatabaseAccessCommand {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Option(names = "--to", paramLabel = "FILE",
            description = "Where to write the copy. Default: $PREFECT_HOME/backups/prefect-<UTC time>.db")
    Path target;

    @Override
    protected int run() throws Exception {
        DatabaseUrl url = config().url();
        if (url.kind() == DatabaseKind.POSTGRESQL) {
            throw new CliError("This database is PostgreSQL: back it up with pg_dump, for example\n\n    " + PgDumpAdvice.command(url)
                    + "\n\nand restore with pg_restore (see docs/upgrade.md).");
        }
        if (url.isInMemory()) {
            throw new CliError("The database is in memory; there is nothing on disk to back up.");
        }
        Path file = target != null ? target : context().settings().home().resolve("backups")
                .resolve("prefect-" + STAMP.format(Instant.now()) + ".db");
        if (Files.exists(file)) {
            throw new CliError("Refusing to overwrite " + file + ": choose another --to.");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        console().println("Backing up " + maskedUrl() + " to " + file + " ...");
        try (Connection c = DirectConnections.open(config()); Statement s = c.createStatement()) {
            // SQLite's online backup: a consistent snapshot while other connections keep writing.
            s.executeUpdate("backup to " + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new CliError("Backup failed: " + e.getMessage());
        }
        console().println("Backup written: " + file + " (" + Files.size(file) + " bytes).");
        console().println("Restore it with the server stopped: prefect server database restore " + file + " -y");
        return 0;
    }
}
