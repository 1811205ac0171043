package org.openprefect.cli.profile;

import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect profile ls}: the profiles of the user's file, the active one starred. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List profile names.",
        footer = {"", "Exit codes: 0 listed, 1 the profiles file could not be read."})
public final class ProfileLsCommand extends BaseCommand {
    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: [{name, active}].")
    OutputFormat output;

    @Override
    protected int run() {
        ProfilesStore store = new ProfilesStore(context().loader());
        String active = store.activeName();
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String name : store.userFile().profiles().keySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("active", name.equals(active));
                rows.add(row);
            }
            console().json(rows);
            return 0;
        }
        console().println("Available Profiles:");
        for (String name : store.userFile().profiles().keySet()) {
            console().println((name.equals(active) ? "* " : "  ") + name);
        }
        console().println("   * active profile");
        return 0;
    }
}
