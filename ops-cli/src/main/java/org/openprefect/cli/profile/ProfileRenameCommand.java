package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.Profile;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code prefect profile rename OLD NEW}: moves the settings, and the active mark with them. */
@Command(name = "rename", mixinStandardHelpOptions = true, description = "Change the name of a profile.",
        footer = {"", "Exit codes: 0 renamed, 1 OLD not found or NEW already exists."})
public final class ProfileRenameCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "OLD")
    String oldName;

    @Parameters(index = "1", paramLabel = "NEW")
    String newName;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        Profile old = store.userFile().get(oldName);
        if (old == null) {
            throw new CliError("Profile '" + oldName + "' not found.");
        }
        if (store.userFile().contains(newName)) {
            throw new CliError("Profile '" + newName + "' already exists.");
        }
        store.userFile().put(new Profile(newName, old.settings()));
        store.userFile().remove(oldName);
        if (oldName.equals(store.userFile().active())) {
            store.userFile().setActive(newName);
        }
        store.save();
        if (oldName.equals(context().environment().get("PREFECT_PROFILE"))) {
            console().warn("You have set your current profile to '" + oldName + "' with the PREFECT_PROFILE environment variable. "
                    + "You must update this variable to '" + newName + "' to continue using the profile.");
        }
        console().println("Renamed profile '" + oldName + "' to '" + newName + "'.");
        return 0;
    }
}
