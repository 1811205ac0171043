package org.openprefect.cli.doctor;

import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseKind;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.OutputFormat;
import org.openprefect.cli.net.ClientTls;
import org.openprefect.cli.net.ProxyEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prefect doctor}: checks an operator runs before an upgrade or when something is off, each
 * finding ok / warn / fail with what to do; exit 0 only when nothing fails.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the setup: the SQLite library and database file, the database, the migration state, "
                + "the client's route to the API (proxies, auth) and its certificates.",
        footer = {"", "Sections: sqlite, database, migrations, network, certificates.",
                "Exit codes: 0 nothing failed (and, with --fail-on-warn, nothing warned), 1 a check failed, 2 invalid usage.",
                "JSON output: {\"status\": worst status, \"findings\": [{section, check, status, message, fix}]} (docs/doctor.md)."})
public final class DoctorCommand extends BaseCommand {
    static final List<String> SECTIONS = List.of("sqlite", "database", "migrations", "network", "certificates");
    private static final List<String> DATABASE_SECTIONS = List.of("sqlite", "database", "migrations");

    @Option(names = {"--section", "-s"}, paramLabel = "NAME", split = ",",
            description = "Run only these sections (${COMPLETION-CANDIDATES}); default: all.", completionCandidates = Sections.class)
    List<String> sections;

    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON for scripts.")
    OutputFormat output;

    @Option(names = "--fail-on-warn", description = "Exit 1 on warnings too (to gate an upgrade).")
    boolean failOnWarn;

    static final class Sections extends ArrayList<String> {
        Sections() {
            super(SECTIONS);
        }
    }

    @Override
    protected int run() {
        List<String> chosen = sections == null || sections.isEmpty() ? SECTIONS : sections;
        for (String s : chosen) {
            if (!SECTIONS.contains(s)) {
                throw new CliError("Unknown section '" + s + "'. Sections: " + String.join(", ", SECTIONS) + ".", 2);
            }
        }
        // Loaded once: each load reads every source again and repeats its warnings.
        Settings settings = context().settings();
        List<Finding> findings = new ArrayList<>();
        if (chosen.stream().anyMatch(DATABASE_SECTIONS::contains)) {
            findings.addAll(databaseSections(settings, chosen));
        }
        // As the process has them: the case of proxy variables matters (see ProxyEnvironment).
        Map<String, String> env = System.getenv();
        ProxyEnvironment proxies = new ProxyEnvironment(env);
        ClientTls tls = ClientTls.from(settings, env);
        if (chosen.contains("network")) {
            findings.addAll(NetworkChecks.run(new NetworkChecks.Inputs(settings.text("api.url"), settings.text("server.ui.api_url"),
                    settings.text("api.auth_string"), proxies, tls)));
        }
        if (chosen.contains("certificates")) {
            findings.addAll(CertificateChecks.run(tls, proxies, settings.text("api.url")));
        }
        Finding.Status worst = findings.stream().map(Finding::status).max(Enum::compareTo).orElse(Finding.Status.OK);
        print(findings, worst);
        boolean failed = worst == Finding.Status.FAIL || (failOnWarn && worst == Finding.Status.WARN);
        return failed ? 1 : 0;
    }

    /**
     * The sections that read the database ({@code sqlite}, {@code database}, {@code migrations}) among
     * {@code chosen}; also what a running server's system page shows.
     */
    public static List<Finding> databaseSections(Settings settings, List<String> chosen) {
        DatabaseConfig config;
        try {
            config = DatabaseConfig.from(settings);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        List<Finding> findings = new ArrayList<>();
        if (chosen.contains("sqlite") && config.url().kind() == DatabaseKind.SQLITE) {
            findings.addAll(SqliteChecks.run(config));
        }
        // A doctor changes nothing: connecting to an SQLite file that does not exist would create it.
        String sqliteFile = config.url().sqlitePath();
        boolean nothingToOpen = sqliteFile != null && !Files.exists(Path.of(sqliteFile));
        for (String section : List.of("database", "migrations")) {
            if (!chosen.contains(section)) {
                continue;
            }
            if (nothingToOpen) {
                findings.add(Finding.warn(section, "skipped", "No database file at " + sqliteFile + " yet; nothing to check.",
                        "Run `prefect server database upgrade -y` or start the server to create it."));
            } else {
                findings.addAll(section.equals("database") ? DatabaseChecks.run(config) : MigrationChecks.run(config));
            }
        }
        return findings;
    }

    private void print(List<Finding> findings, Finding.Status worst) {
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", worst.label());
            List<Map<String, String>> rows = new ArrayList<>();
            for (Finding f : findings) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("section", f.section());
                row.put("check", f.check());
                row.put("status", f.status().label());
                row.put("message", f.message());
                row.put("fix", f.fix());
                rows.add(row);
            }
            json.put("findings", rows);
            console().json(json);
            return;
        }
        String section = null;
        for (Finding f : findings) {
            if (!f.section().equals(section)) {
                section = f.section();
                console().println((section.equals(findings.getFirst().section()) ? "" : "\n") + section);
            }
            console().println(String.format("  %-4s %-18s %s", f.status().label(), f.check(), f.message()));
            if (!f.fix().isEmpty()) {
                console().println("       fix: " + f.fix());
            }
        }
        console().println("\nOverall: " + worst.label());
    }
}
