package org.openprefect.cli.config;

import picocli.CommandLine.Command;

/** {@code prefect config ...}. */
@Command(name = "config", description = "View and set Prefect settings in the current profile.",
        mixinStandardHelpOptions = true,
        subcommands = {ConfigSetCommand.class, ConfigUnsetCommand.class, ConfigViewCommand.class, ConfigValidateCommand.class})
public final class ConfigCommand {
}
