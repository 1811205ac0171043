package org.openprefect.cli.config;

import org.openprefect.appliance.settings.SettingDefinition;
import org.openprefect.cli.common.BaseCommand;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code prefect config validate}: checks the current profile and rewrites legacy names as canonical ones. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Read and validate the current profile. Legacy setting names are rewritten to their current names.",
        footer = {"", "Exit codes: 0 valid (file rewritten), 1 unknown setting or invalid value (file untouched)."})
public final class ConfigValidateCommand extends BaseCommand {
    @Override
    protected int run() {
        ProfileEditor editor = new ProfileEditor(context().loader());
        Map<SettingDefinition, String> canonical = new LinkedHashMap<>();
        editor.profile().settings().forEach((name, value) -> {
            SettingDefinition d = editor.definition(name);
            ProfileEditor.validate(d, value);
            // When both a legacy and the current name are set, the current one wins, as upstream.
            if (!canonical.containsKey(d) || name.equals(d.name())) {
                canonical.put(d, value);
            }
        });
        // validate converts legacy names to the current ones, as upstream's does.
        Map<String, String> byCanonicalName = new LinkedHashMap<>();
        canonical.forEach((d, value) -> byCanonicalName.put(d.name(), value));
        editor.save(editor.apply(byCanonicalName));
        console().println("Configuration valid!");
        return 0;
    }
}
