package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.Profile;
import org.openprefect.appliance.settings.ProfilesFile;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** {@code prefect profile populate-defaults}: adds the shipped profiles the user's file lacks. */
@Command(name = "populate-defaults", mixinStandardHelpOptions = true,
        description = "Populate the profiles configuration with default base profiles, preserving existing user profiles.",
        footer = {"", "Exit codes: 0 written or nothing to do, 1 aborted or the file could not be written."})
public final class ProfilePopulateDefaultsCommand extends BaseCommand {
    @Override
    protected int run() throws IOException {
        ProfilesStore store = new ProfilesStore(context().loader());
        ProfilesFile shipped = ProfilesFile.shippedDefaults();
        List<Profile> missing = new ArrayList<>();
        shipped.profiles().values().forEach(p -> {
            if (!store.userFile().contains(p.name())) {
                missing.add(p);
            }
        });
        if (missing.isEmpty()) {
            console().println("No changes needed. All profiles are up to date.");
            return 0;
        }
        console().println("Proposed Changes:");
        missing.forEach(p -> console().println("  Add '" + p.name() + "'"));
        Path path = store.path();
        if (Files.exists(path) && console().interactive()
                && console().confirm("Back up existing profiles to " + path + ".bak?", true)) {
            Files.copy(path, Path.of(path + ".bak"), StandardCopyOption.REPLACE_EXISTING);
            console().println("Profiles backed up to " + path + ".bak");
        }
        if (console().interactive() && !console().confirm("Update profiles at " + path + "?", false)) {
            throw new CliError("No changes made to profiles.");
        }
        missing.forEach(store.userFile()::put);
        if (store.userFile().active() == null) {
            store.userFile().setActive(shipped.active());
        }
        store.save();
        console().println("Profiles updated in " + path);
        console().println("");
        console().println("Use with prefect profile use [PROFILE-NAME]");
        console().println("");
        console().println("Available profiles:");
        store.userFile().profiles().keySet().forEach(n -> console().println("  - " + n));
        return 0;
    }
}
