package org.openprefect.cli.server;

import org.openprefect.appliance.PrefectServer;
import org.openprefect.appliance.ServerStartException;
import org.openprefect.appliance.ServiceCatalogue;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code prefect server services start}: the enabled background services without the web server,
 * for an operator who runs the API with {@code --no-services} in one process and the services in
 * another. With several such processes on one PostgreSQL database each loop still runs once.
 */
@Command(name = "start", aliases = {"start-services", "enable"}, mixinStandardHelpOptions = true,
        description = "Start the enabled background services in one process, without the web server.",
        footer = {"", "Exit codes: 0 stopped by Ctrl+C/SIGTERM or started in the background, 1 already running, none enabled, "
                + "or they could not start."})
public final class ServicesStartCommand extends BaseCommand {
    private static final String BACKGROUND_CHILD = "OPENPREFECT_SERVICES_BACKGROUND_CHILD";

    @Option(names = {"--background", "-b"}, description = "Run the services in the background; stop them with `prefect server services stop`.")
    boolean background;

    @Override
    protected int run() throws Exception {
        Settings settings = context().settings(Map.of());
        PidFile pidFile = PidFile.services(settings.home());
        // The background child skips the check: the pid file it would find is its parent's claim for it.
        if (pidFile.exists() && System.getenv(BACKGROUND_CHILD) == null) {
            OptionalLong pid = pidFile.read();
            Optional<ProcessHandle> running = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
            if (running.isPresent() && running.get().isAlive()) {
                throw new CliError("Services are already running in the background.\nUse `prefect server services stop` to stop them.");
            }
            pidFile.delete(); // stale
        }
        if (ServiceCatalogue.ENTRIES.stream().noneMatch(e -> e.enabled(settings))) {
            throw new CliError("No services are enabled!");
        }
        if (background) {
            return startInBackground(settings, pidFile);
        }
        ServerLogging.configure(settings.text("server.logging_level"), settings.bool("server.database.echo"));
        console().println("Starting services... Press CTRL+C to stop");
        PrefectServer services;
        try {
            services = PrefectServer.start(settings, PrefectServer.Mode.SERVICES_ONLY);
        } catch (ServerStartException e) {
            throw new CliError(e.getMessage());
        }
        ShutdownSignals.awaitTermination(services::stop);
        console().println("All services stopped.");
        return 0;
    }

    private int startInBackground(Settings settings, PidFile pidFile) throws Exception {
        if (!pidFile.create()) {
            throw new CliError("Services are already running in the background.\nUse `prefect server services stop` to stop them.");
        }
        Path log = settings.home().resolve("services.log");
        Process child = BackgroundServer.childJvm(context(), root().mainClassName(), Map.of(BACKGROUND_CHILD, "1"), settings.home(), log,
                List.of("server", "services", "start")).start();
        pidFile.write(child.pid());
        // No port to probe: a child that is still alive after its start-up checks (schema, database) is running.
        Thread.sleep(3000);
        if (!child.isAlive()) {
            pidFile.delete();
            throw new CliError("Failed to start services in the background! See " + log + ".");
        }
        console().println("Services are running in the background.");
        console().println("Use `prefect server services stop` to stop them. Their output goes to " + log + ".");
        return 0;
    }
}
