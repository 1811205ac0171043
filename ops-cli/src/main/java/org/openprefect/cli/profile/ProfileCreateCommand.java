package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.Profile;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code prefect profile create NAME [--from SRC]}: an empty profile or a copy; not activated. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a new profile.",
        footer = {"", "Exit codes: 0 created, 1 the name exists or the source profile is unknown."})
public final class ProfileCreateCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Name of the new profile.")
    String name;

    @Option(names = "--from", paramLabel = "SRC", description = "Copy the settings of this existing profile.")
    String from;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        if (store.userFile().contains(name)) {
            throw new CliError("Profile '" + name + "' already exists.\nTo create a new profile, remove the existing profile first:\n\n"
                    + "    prefect profile delete '" + name + "'");
        }
        Map<String, String> settings = Map.of();
        if (from != null) {
            Profile source = store.all().get(from);
            if (source == null) {
                throw new CliError("Profile '" + from + "' not found.");
            }
            settings = source.settings();
        }
        store.userFile().put(new Profile(name, settings));
        store.save();
        console().println("Created profile with properties:\n    name - '" + name + "'"
                + (from != null ? "\n    from name - '" + from + "'" : "")
                + "\n\nUse created profile for future, subsequent commands:\n    prefect profile use '" + name + "'"
                + "\n\nUse created profile temporarily for a single command:\n    prefect -p '" + name + "' config view");
        return 0;
    }
}
