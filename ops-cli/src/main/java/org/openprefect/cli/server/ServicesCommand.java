package org.openprefect.cli.server;

import picocli.CommandLine.Command;

/** {@code prefect server services ...}: the background services, in a process of their own. */
@Command(name = "services", mixinStandardHelpOptions = true, description = "List, start and stop the server's background services.",
        subcommands = {ServicesListCommand.class, ServicesStartCommand.class, ServicesStopCommand.class})
public final class ServicesCommand {
}
