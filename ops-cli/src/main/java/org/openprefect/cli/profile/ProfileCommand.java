package org.openprefect.cli.profile;

import picocli.CommandLine.Command;

/** {@code prefect profile ...} (alias {@code profiles}). */
@Command(name = "profile", aliases = "profiles", mixinStandardHelpOptions = true,
        description = "Select and manage Prefect profiles.",
        subcommands = {ProfileLsCommand.class, ProfileCreateCommand.class, ProfileUseCommand.class,
                ProfileDeleteCommand.class, ProfileRenameCommand.class, ProfileInspectCommand.class,
                ProfilePopulateDefaultsCommand.class})
public final class ProfileCommand {
}
