package org.openprefect.cli.profile;

import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code prefect profile delete NAME}: removes a profile that is not active. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete the given profile.",
        footer = {"", "Exit codes: 0 removed, 1 not found, active, or aborted."})
public final class ProfileDeleteCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Profile to delete.")
    String name;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        if (!store.userFile().contains(name)) {
            throw new CliError("Profile '" + name + "' not found.");
        }
        if (name.equals(store.activeName())) {
            throw new CliError("Profile '" + name + "' is the active profile. You must switch profiles before it can be deleted.");
        }
        if (console().interactive() && !console().confirm("Are you sure you want to delete profile '" + name + "'?", false)) {
            throw new CliError("Deletion aborted.");
        }
        store.userFile().remove(name);
        store.save();
        console().println("Removed profile '" + name + "'.");
        return 0;
    }
}
