package org.openprefect.cli.database;

import picocli.CommandLine.Option;

/** The {@code -y/--yes} option of the commands that ask before they change the database (a picocli mixin). */
final class ConfirmOption {
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;
}
