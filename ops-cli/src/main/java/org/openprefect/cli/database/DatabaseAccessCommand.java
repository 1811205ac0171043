package org.openprefect.cli.database;

import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;

/** What every database command shares: the database from settings, its masked URL, and confirmation prompts. */
abstract class DatabaseAccessCommand extends BaseCommand {
    private DatabaseConfig config;

    protected DatabaseConfig config() {
        if (config == null) {
            try {
                config = DatabaseConfig.from(context().settings());
            } catch (IllegalArgumentException e) {
                throw new CliError(e.getMessage());
            }
        }
        return config;
    }

    /** The database URL with its password masked, as every message shows it. */
    protected String maskedUrl() {
        return config().url().masked();
    }

    /** Asks unless {@code -y}; without a terminal to ask on, refuses with the abort message. */
    protected void confirm(boolean yes, String question, String abortMessage) {
        if (yes) {
            return;
        }
        if (!console().interactive()) {
            throw new CliError(abortMessage + " (no terminal to confirm on: pass -y to proceed)");
        }
        if (!console().confirm(question, false)) {
            throw new CliError(abortMessage);
        }
    }
}
