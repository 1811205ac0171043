package org.openprefect.cli.bundle;

import picocli.CommandLine.Command;

/** {@code prefect bundle ...}: the air-gapped install bundle (docs/air-gapped.md). */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Work with the offline install bundle.",
        subcommands = {BundleVerifyCommand.class})
public final class BundleCommand {
}
