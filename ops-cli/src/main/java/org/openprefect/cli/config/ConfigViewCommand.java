package org.openprefect.cli.config;

import org.openprefect.appliance.settings.ResolvedSetting;
import org.openprefect.appliance.settings.SettingSource;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect config view}: each setting once, from the highest source that sets it, under the name that source used. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Display the current settings.",
        footer = {"", "Exit codes: 0 shown, 1 the settings could not be loaded (the message says which is invalid)."})
public final class ConfigViewCommand extends BaseCommand {
    static final String SECRET_MASK = "********";

    private boolean showDefaults = false;
    private boolean showSources = true;
    private boolean showSecrets = false;

    @Option(names = "--show-defaults", description = "Also list settings left at their defaults.")
    void showDefaults(boolean ignored) {
        showDefaults = true;
    }

    @Option(names = "--hide-defaults", description = "List only settings that are set somewhere (the default).")
    void hideDefaults(boolean ignored) {
        showDefaults = false;
    }

    @Option(names = "--show-sources", description = "Say where each value comes from (the default).")
    void showSources(boolean ignored) {
        showSources = true;
    }

    @Option(names = "--hide-sources", description = "Print values without their sources.")
    void hideSources(boolean ignored) {
        showSources = false;
    }

    @Option(names = "--show-secrets", description = "Print secret values instead of ********.")
    void showSecrets(boolean ignored) {
        showSecrets = true;
    }

    @Option(names = "--hide-secrets", description = "Mask secret values (the default).")
    void hideSecrets(boolean ignored) {
        showSecrets = false;
    }

    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: {profile, settings: [{name, value, source}], ui_url?}.")
    OutputFormat output;

    @Override
    protected int run() {
        Settings settings = context().settings();
        List<ResolvedSetting> shown = settings.all().stream()
                .filter(s -> showDefaults || s.source() != SettingSource.DEFAULTS)
                .sorted(Comparator.comparing(ResolvedSetting::name))
                .toList();
        String uiUrl = settings.text("ui_url");
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("profile", settings.profileName());
            List<Map<String, String>> rows = new ArrayList<>();
            for (ResolvedSetting s : shown) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("name", s.name());
                row.put("value", display(s));
                if (showSources) {
                    row.put("source", s.source().label());
                }
                rows.add(row);
            }
            json.put("settings", rows);
            if (uiUrl != null) {
                json.put("ui_url", uiUrl);
            }
            console().json(json);
            return 0;
        }
        if (uiUrl != null) {
            console().println("🚀 you are connected to:\n" + uiUrl);
        }
        console().println("PREFECT_PROFILE='" + settings.profileName() + "'");
        for (ResolvedSetting s : shown) {
            console().println(s.name() + "='" + display(s) + "'"
                    + (showSources ? " (from " + s.source().label() + ")" : ""));
        }
        return 0;
    }

    private String display(ResolvedSetting s) {
        return s.definition().secret() && !showSecrets ? SECRET_MASK : s.rawValue();
    }
}
