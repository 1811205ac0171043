package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.Settings;
import org.openprefect.appliance.settings.SettingsEnvironment;
import org.openprefect.appliance.settings.SettingsException;
import org.openprefect.appliance.settings.SettingsLoader;
import org.openprefect.cli.common.ApiClient;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;

/** {@code prefect profile use NAME}: makes NAME active, then checks that its server answers. */
@Command(name = "use", mixinStandardHelpOptions = true, description = "Set the given profile to active.",
        footer = {"", "Exit codes: 0 active and its server reachable (or ephemeral), 1 unknown profile or server unreachable",
                "(the profile stays active even then, as upstream)."})
public final class ProfileUseCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Profile to activate.")
    String name;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        if (!store.all().contains(name)) {
            throw new CliError("Profile '" + name + "' not found.");
        }
        store.userFile().setActive(name);
        store.save();

        Settings settings;
        SettingsEnvironment env = context().environment();
        try {
            settings = new SettingsLoader(new SettingsEnvironment(env.env(), env.workingDirectory(), name)).load();
        } catch (SettingsException e) {
            throw new CliError("Error connecting to Prefect API URL: " + e.getMessage());
        }
        String apiUrl = settings.text("api.url");
        if (apiUrl == null || apiUrl.isBlank()) {
            if (settings.bool("server.ephemeral.enabled")) {
                console().println("No Prefect server specified using profile '" + name + "' - the API will run in ephemeral mode.");
                return 0;
            }
            throw new CliError("Prefect server URL not configured using profile '" + name
                    + "' - please configure the server URL or enable ephemeral mode.");
        }
        try {
            ApiClient.forApi(settings, apiUrl, Duration.ofSeconds(3)).get("/health");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid API URL")) {
                throw new CliError("Error connecting to Prefect API URL");
            }
            throw new CliError("Error connecting to Prefect server using profile '" + name + "'");
        }
        console().println("Connected to Prefect server using profile '" + name + "'");
        return 0;
    }
}
