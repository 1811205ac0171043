package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.Profile;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prefect profile inspect [NAME]}: the settings a profile holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Display settings from a given profile; defaults to the active profile.",
        footer = {"", "Exit codes: 0 shown, 1 profile not found."})
public final class ProfileInspectCommand extends BaseCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Profile to show (default: the active one).")
    String name;

    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print the settings as a JSON object.")
    OutputFormat output;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        String target = name;
        if (target == null) {
            target = store.activeName();
            if (output != OutputFormat.JSON) {
                console().println("No name provided, defaulting to '" + target + "'");
            }
        }
        Profile profile = store.all().get(target);
        if (profile == null) {
            throw new CliError("Profile '" + target + "' not found.");
        }
        if (output == OutputFormat.JSON) {
            console().json(profile.settings());
        } else if (profile.settings().isEmpty()) {
            console().println("Profile '" + target + "' is empty.");
        } else {
            profile.settings().forEach((k, v) -> console().println(k + "='" + v + "'"));
        }
        return 0;
    }
}
