package org.openprefect.cli.server;

import org.openprefect.cli.database.DatabaseCommand;
import picocli.CommandLine.Command;

/** {@code prefect server ...}. */
@Command(name = "server", description = "Start, stop and check the Prefect server.",
        mixinStandardHelpOptions = true,
        subcommands = {ServerStartCommand.class, ServerStopCommand.class, ServerStatusCommand.class,
                DatabaseCommand.class, ServicesCommand.class})
public final class ServerCommand {
}
