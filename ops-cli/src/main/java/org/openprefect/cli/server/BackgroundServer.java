package org.openprefect.cli.server;

import org.openprefect.appliance.PrefectServer;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.ApiClient;
import org.openprefect.cli.common.CliContext;
import org.openprefect.cli.common.CliError;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the server in a child JVM (same java, same classpath), records its pid, and returns
 * once the server answers {@code /health}, so "running in the background" is only said when true.
 */
final class BackgroundServer {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final CliContext context;
    private final String mainClassName;
    private final Settings settings;
    private final PidFile pidFile;
    private final Map<String, String> overrides;

    BackgroundServer(CliContext context, String mainClassName, Settings settings, PidFile pidFile, Map<String, String> overrides) {
        this.mainClassName = mainClassName;
        this.context = context;
        this.settings = settings;
        this.pidFile = pidFile;
        this.overrides = overrides;
    }

    int start(String baseUrl, String banner) throws IOException, InterruptedException {
        if (!pidFile.create()) {
            throw new CliError("A server is already running in the background. To stop it, run `prefect server stop`.");
        }
        Path log = settings.home().resolve("server.log");
        Process child;
        try {
            child = childProcess(log).start();
            pidFile.write(child.pid());
        } catch (IOException | RuntimeException e) {
            pidFile.delete();
            throw new CliError("Could not start the background server: " + e.getMessage());
        }
        context.console().println(banner);
        String healthUrl = baseUrl.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
                + PrefectServer.apiBasePath(settings);
        if (!awaitHealthy(child, new ApiClient(healthUrl, settings.text("server.api.auth_string"), Duration.ofSeconds(2)))) {
            child.destroy();
            pidFile.delete();
            throw new CliError("The background server did not start. Last lines of " + log + ":\n" + tail(log, 20));
        }
        context.console().println("The Prefect server is running in the background. Run `prefect server stop` to stop it.");
        context.console().println("Its output goes to " + log + ".");
        return 0;
    }

    private ProcessBuilder childProcess(Path log) throws IOException {
        return childJvm(context, mainClassName, overrides, settings.home(), log, List.of("server", "start"));
    }

    /**
     * This very command in a child JVM (same java, classpath and profile) running {@code args}, its
     * output appended to {@code log}; {@code env} carries the flags as the settings they stand for.
     */
    static ProcessBuilder childJvm(CliContext context, String mainClassName, Map<String, String> env, Path home, Path log,
                                   List<String> args) throws IOException {
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                mainClassName));
        if (context.environment().profileOverride() != null) {
            command.addAll(List.of("--profile", context.environment().profileOverride()));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // The flags travel as the settings they stand for; the child reads everything else as we did.
        builder.environment().putAll(env);
        builder.environment().put("PREFECT_HOME", home.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder;
    }

    private static boolean awaitHealthy(Process child, ApiClient client) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                return false;
            }
            try {
                client.get("/health");
                return true;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        return false;
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
