package org.openprefect.cli.server;

import picocli.CommandLine.Command;

/** {@code prefect server ...}; its subcommands are added by {@code CommandTree}. */
@Command(name = "server", description = "Start, stop and check the Prefect server.",
        mixinStandardHelpOptions = true)
public final class ServerCommand {
}
