package org.openprefect.cli.database;

import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.db.DirectConnections;
import org.openprefect.cli.common.CliError;
import org.openprefect.migrations.MigrationException;
import org.openprefect.migrations.MigrationListener;
import org.openprefect.migrations.Migrator;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Database commands that migrate: the migrator with its lock timeout, progress lines, and errors as exit code 1. */
abstract class MigratorCommand extends DatabaseAccessCommand {
    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for another migration's lock. Default: ${DEFAULT-VALUE}.")
    int lockTimeoutSeconds;

    @FunctionalInterface
    interface MigratorWork {
        int run(Migrator migrator);
    }

    protected int withMigrator(MigratorWork work) {
        try (Connection c = DirectConnections.open(config())) {
            Migrator migrator = new Migrator(c, ServerVersion.current().buildVersion())
                    .lockTimeout(Duration.ofSeconds(lockTimeoutSeconds))
                    .listener(progress());
            return work.run(migrator);
        } catch (SQLException e) {
            throw new CliError("Cannot connect to the database at " + maskedUrl() + ": " + e.getMessage());
        } catch (MigrationException e) {
            throw new CliError(e.getMessage());
        }
    }

    private MigrationListener progress() {
        return new MigrationListener() {
            @Override
            public void applying(String revision, String description) {
                console().println("  applying " + revision + ": " + description);
            }

            @Override
            public void rollingBack(String revision, String description) {
                console().println("  rolling back " + revision + ": " + description);
            }
        };
    }

    /**
     * What upgrade and downgrade share: the dry run prints SQL; otherwise confirm, say what runs,
     * migrate with progress, and report as upstream's commands do ("upgraded!", "downgraded!").
     */
    protected int migrate(boolean yes, boolean dryRun, String verb, Function<Migrator, String> sql,
                          Function<Migrator, List<String>> change) {
        if (dryRun) {
            return withMigrator(m -> {
                console().println(sql.apply(m));
                return 0;
            });
        }
        confirm(yes, "Are you sure you want to " + verb + " the Prefect database at " + maskedUrl() + "?", "Database " + verb + " aborted!");
        console().println("Running " + verb + " migrations ...");
        return withMigrator(m -> {
            if (change.apply(m).isEmpty()) {
                console().println("Nothing to do: the database is already at " + m.current().orElse("base") + ".");
            }
            console().println("Migrations succeeded!");
            console().println("Prefect database at " + maskedUrl() + " " + verb + "d!");
            return 0;
        });
    }

}
