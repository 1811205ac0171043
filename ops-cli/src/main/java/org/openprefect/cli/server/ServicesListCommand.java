package org.openprefect.cli.server;

import org.openprefect.appliance.ServiceCatalogue;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect server services ls}: each service, whether its setting enables it, and what it does. */
@Command(name = "ls", aliases = {"list", "list-services"}, mixinStandardHelpOptions = true,
        description = "List the background services and whether they are enabled.",
        footer = {"", "Exit codes: 0 listed, 2 bad option."})
public final class ServicesListCommand extends BaseCommand {
    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: [{name, enabled, environment_variable, description}].")
    OutputFormat output;

    @Override
    protected int run() {
        Settings settings = context().settings(Map.of());
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ServiceCatalogue.Entry e : ServiceCatalogue.ENTRIES) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", e.name());
                row.put("enabled", e.enabled(settings));
                row.put("environment_variable", e.environmentVariable());
                row.put("description", e.description());
                rows.add(row);
            }
            console().json(rows);
            return 0;
        }
        int width = ServiceCatalogue.ENTRIES.stream().mapToInt(e -> e.name().length()).max().orElse(4);
        int setting = ServiceCatalogue.ENTRIES.stream().mapToInt(e -> e.environmentVariable().length() + 2).max().orElse(8);
        console().println("Available Services");
        console().println(pad("Name", width) + "  " + pad("Enabled?", setting) + "  Description");
        for (ServiceCatalogue.Entry e : ServiceCatalogue.ENTRIES) {
            console().println(pad(e.name(), width) + "  " + pad((e.enabled(settings) ? "✓ " : "x ") + e.environmentVariable(), setting)
                    + "  " + e.description());
        }
        return 0;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
