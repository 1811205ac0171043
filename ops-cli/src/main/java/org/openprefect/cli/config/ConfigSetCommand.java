package org.openprefect.cli.config;

import org.openprefect.appliance.settings.SettingDefinition;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code prefect config set VAR=VAL ...}: validates every value first, writes nothing if any is wrong. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = "Change the value for a setting by setting the value in the current profile.",
        footer = {"", "Exit codes: 0 saved, 1 malformed item, unknown setting or invalid value (nothing written)."})
public final class ConfigSetCommand extends BaseCommand {
    private static final Set<String> LOCATION_SETTINGS = Set.of("PREFECT_HOME", "PREFECT_PROFILES_PATH");

    @Parameters(arity = "1..*", paramLabel = "VAR=VAL", description = "Settings to set, e.g. PREFECT_API_URL=http://127.0.0.1:4200/api")
    List<String> items;

    @Override
    protected int run() {
        ProfileEditor editor = new ProfileEditor(context().loader());
        Map<String, String> given = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new CliError("Failed to parse argument '" + item + "'. Use the format 'VAR=VAL'.");
            }
            String name = item.substring(0, eq);
            String value = item.substring(eq + 1);
            SettingDefinition d = editor.definition(name);
            if (LOCATION_SETTINGS.contains(name)) {
                throw new CliError("Setting '" + name + "' cannot be changed with this command. Use an environment variable instead.");
            }
            ProfileEditor.validate(d, value);
            given.put(name, value);
        }
        editor.save(editor.apply(given));
        given.forEach((name, value) -> {
            console().println("Set '" + name + "' to '" + value + "'.");
            if (context().environment().env().containsKey(name)) {
                console().warn(name + " is also set by an environment variable which will override your config value. "
                        + "Run `unset " + name + "` to clear it.");
            }
        });
        console().println("Updated profile '" + editor.profile().name() + "'.");
        return 0;
    }
}
