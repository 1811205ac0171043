package org.openprefect.cli.database;

import org.openprefect.cli.common.OutputFormat;
import org.openprefect.migrations.Revision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect server database current}: the applied revision and what is pending. */
@Command(name = "current", mixinStandardHelpOptions = true,
        description = "Show the database's current revision and the revisions still pending.",
        footer = {"", "Exit codes: 0 shown (whatever the state), 1 the database could not be read."})
public final class DatabaseCurrentCommand extends MigratorCommand {
    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: {database, revision, pending, unknown, lock}.")
    OutputFormat output;

    @Override
    protected int run() {
        return withMigrator(m -> {
            String current = m.current().orElse(null);
            List<String> pending = m.history().stream().filter(r -> !r.applied()).map(Revision::id).toList();
            List<String> unknown = m.unknownRevisions();
            String lock = m.lock().map(l -> l.describe()).orElse(null);
            if (output == OutputFormat.JSON) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("database", maskedUrl());
                json.put("revision", current);
                json.put("pending", pending);
                json.put("unknown", unknown);
                json.put("lock", lock);
                console().json(json);
                return 0;
            }
            console().println("Database: " + maskedUrl());
            console().println("Current revision: " + (current == null ? "base (no schema)" : current));
            console().println("Pending: " + (pending.isEmpty() ? "none" : String.join(", ", pending)));
            if (!unknown.isEmpty()) {
                console().println("Applied by a newer build, unknown here: " + String.join(", ", unknown));
            }
            if (lock != null) {
                console().println("Migration lock: " + lock);
            }
            return 0;
        });
    }
}
