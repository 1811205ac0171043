package org.openprefect.cli;

import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.settings.SettingsEnvironment;
import org.openprefect.cli.common.CliContext;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.Console;
import org.openprefect.cli.common.ContextRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code prefect}: the operator's command, with upstream's global options. */
@Command(name = "prefect",
        mixinStandardHelpOptions = false,
        versionProvider = PrefectCli.Version.class,
        description = "Operate a Prefect-3-compatible orchestration server: run it, configure it, manage profiles.",
        footer = {"", "Exit codes: 0 success, 1 error (message on stderr), 2 invalid usage."})
public final class PrefectCli implements Runnable, ContextRoot {
    @Option(names = {"--profile", "-p"}, paramLabel = "NAME",
            description = "Run the command with this profile active; its values outrank environment variables.")
    String profile;

    @Option(names = "--prompt", negatable = true,
            description = "Force interactive prompts on or off (default: PREFECT_CLI_PROMPT, else whether a terminal is attached).")
    Boolean prompt;

    @Option(names = {"--version", "-v"}, versionHelp = true, description = "Print the version and exit.")
    boolean versionRequested;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "Show this help and exit.")
    boolean helpRequested;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private CliContext context;

    @Override
    public CliContext context() {
        if (context == null) {
            SettingsEnvironment environment = SettingsEnvironment.fromSystem(profile);
            context = new CliContext(new Console(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    isInteractive(environment)), environment);
        }
        return context;
    }

    private boolean isInteractive(SettingsEnvironment environment) {
        if (prompt != null) {
            return prompt;
        }
        String fromSetting = environment.get("PREFECT_CLI_PROMPT");
        if (fromSetting != null && !fromSetting.isBlank()) {
            return fromSetting.strip().equalsIgnoreCase("true") || fromSetting.strip().equals("1");
        }
        return System.console() != null;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        quietLibraryLogs();
        CommandLine cli = CommandTree.of(args);
        cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliError error) {
                commandLine.getErr().println(error.getMessage());
                commandLine.getErr().flush();
                return error.exitCode();
            }
            throw e;
        });
        return cli.execute(args);
    }

    /**
     * Commands speak for themselves; the libraries under them (Liquibase, HikariCP) narrate at INFO.
     * Warnings still show. {@code server start} sets its own level from PREFECT_SERVER_LOGGING_LEVEL.
     */
    private static void quietLibraryLogs() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
    }

    /** Prints the bare version, as {@code prefect --version} does upstream. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{ServerVersion.current().prefectVersion()};
        }
    }
}
