package org.openprefect.cli.config;

import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect config unset NAME ...}: removes settings from the current profile. */
@Command(name = "unset", mixinStandardHelpOptions = true,
        description = "Restore the default value for a setting by removing it from the current profile.",
        footer = {"", "Exit codes: 0 removed, 1 unknown setting, not set in the profile, or aborted."})
public final class ConfigUnsetCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Setting names to remove.")
    List<String> names;

    @Option(names = {"--yes", "-y"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    protected int run() {
        ProfileEditor editor = new ProfileEditor(context().loader());
        Map<String, String> removals = new LinkedHashMap<>();
        for (String name : names) {
            if (!editor.sets(editor.definition(name))) {
                throw new CliError("'" + name + "' is not set in profile '" + editor.profile().name() + "'.");
            }
            removals.put(name, null);
        }
        if (!yes && console().interactive()
                && !console().confirm("Are you sure you want to unset the following setting(s): " + String.join(", ", names) + "?", false)) {
            throw new CliError("Unset aborted.");
        }
        editor.save(editor.apply(removals));
        for (String name : names) {
            console().println("Unset '" + name + "'.");
            if (context().environment().env().containsKey(name)) {
                console().warn("'" + name + "' is also set by an environment variable. Use `unset " + name + "` to clear it.");
            }
        }
        console().println("Updated profile '" + editor.profile().name() + "'.");
        return 0;
    }
}
