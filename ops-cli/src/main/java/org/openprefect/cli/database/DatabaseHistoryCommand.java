package org.openprefect.cli.database;

import org.openprefect.cli.common.OutputFormat;
import org.openprefect.migrations.Revision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect server database history}: every revision this build knows, applied or pending. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the schema revisions this build knows, oldest first, each applied or pending.",
        footer = {"", "Exit codes: 0 listed, 1 the database could not be read."})
public final class DatabaseHistoryCommand extends MigratorCommand {
    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: [{revision, applied, description}].")
    OutputFormat output;

    @Override
    protected int run() {
        return withMigrator(m -> {
            List<Revision> revisions = m.history();
            if (output == OutputFormat.JSON) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Revision r : revisions) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("revision", r.id());
                    row.put("applied", r.applied());
                    row.put("description", r.description());
                    rows.add(row);
                }
                console().json(rows);
                return 0;
            }
            for (Revision r : revisions) {
                console().println(String.format("%-6s %-8s %s", r.id(), r.applied() ? "applied" : "pending", r.description()));
            }
            return 0;
        });
    }
}
