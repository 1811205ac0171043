package org.openprefect.cli.server;

import org.openprefect.appliance.PrefectServer;
import org.openprefect.appliance.ServerStartException;
import org.openprefect.appliance.dashboard.SystemChecks;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.doctor.DoctorCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code prefect server start}: runs the server in this JVM until Ctrl+C or SIGTERM, or with
 * {@code --background} in a child JVM whose pid goes to {@code $PREFECT_HOME/server.pid}.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a Prefect server instance (API at http://HOST:PORT/api, dashboard at /).",
        footer = {"", "Exit codes: 0 stopped cleanly (or started in the background), 1 could not start."})
public final class ServerStartCommand extends BaseCommand {
    /** Upstream's internal variable that tells a background child to run the web server only (--no-services). */
    static final String WEBSERVER_ONLY = "PREFECT__SERVER_WEBSERVER_ONLY";

    @Option(names = "--host", paramLabel = "HOST", description = "Bind address. Default: PREFECT_SERVER_API_HOST (127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Bind port. Default: PREFECT_SERVER_API_PORT (4200).")
    Integer port;

    @Option(names = "--keep-alive-timeout", paramLabel = "SECONDS",
            description = "HTTP keep-alive seconds. Default: PREFECT_SERVER_API_KEEPALIVE_TIMEOUT (5).")
    Integer keepAliveTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Server log level (DEBUG, INFO, WARNING, ERROR, CRITICAL). Default: PREFECT_SERVER_LOGGING_LEVEL (WARNING).")
    String logLevel;

    @Option(names = "--scheduler", negatable = true,
            description = "Run the scheduler service. Default: PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED (true).")
    Boolean scheduler;

    @Option(names = "--analytics-on", description = "Enable analytics (we send none; accepted for compatibility).")
    boolean analyticsOn;

    @Option(names = "--analytics-off", description = "Disable analytics.")
    boolean analyticsOff;

    @Option(names = "--late-runs", negatable = true,
            description = "Run the late-runs service. Default: PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED (true).")
    Boolean lateRuns;

    @Option(names = "--ui", negatable = true, description = "Serve the dashboard at /. Default: PREFECT_SERVER_UI_ENABLED (true).")
    Boolean ui;

    @Option(names = "--no-services", description = "Run only the webserver (API and UI), no background services.")
    boolean noServices;

    @Option(names = {"--background", "-b"}, description = "Run the server in the background; stop it with `prefect server stop`.")
    boolean background;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Number of worker processes. Only 1 is supported: one JVM serves requests on many threads.")
    int workers;

    @Override
    protected int run() throws Exception {
        if (workers != 1) {
            throw new CliError("--workers " + workers + " is not supported: one server process handles concurrent requests "
                    + "on its own threads. Run several replicas behind a load balancer instead.");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new CliError("Invalid port " + port + ". Please specify a port between 0 and 65535.");
        }
        Map<String, String> overrides = flagOverrides();
        Settings settings = context().settings(overrides);
        String bindHost = settings.text("server.api.host");
        int bindPort = settings.integer("server.api.port");
        if (bindPort < 0 || bindPort > 65535) {
            throw new CliError("Invalid port " + bindPort + ". Please specify a port between 0 and 65535.");
        }
        PidFile pidFile = new PidFile(settings.home());
        checkBindable(bindHost, bindPort, pidFile);

        String baseUrl = "http://" + (bindHost.contains(":") ? "[" + bindHost + "]" : bindHost) + ":" + bindPort;
        String apiPath = PrefectServer.apiBasePath(settings);
        if (background) {
            Map<String, String> childEnvironment = new LinkedHashMap<>(overrides);
            if (noServices) {
                childEnvironment.put(WEBSERVER_ONLY, "1");
            }
            return new BackgroundServer(context(), root().mainClassName(), settings, pidFile, childEnvironment)
                    .start(baseUrl, Banner.text(baseUrl, apiPath, settings.bool("server.ui.enabled")));
        }
        ServerLogging.configure(settings.text("server.logging_level"), settings.bool("server.database.echo"));
        console().println(Banner.text(baseUrl, apiPath, settings.bool("server.ui.enabled")));
        return runInForeground(settings);
    }

    /** The CLI flags, applied as the settings they stand for (upstream does the same). */
    private Map<String, String> flagOverrides() {
        Map<String, String> o = new LinkedHashMap<>();
        if (host != null) {
            o.put("PREFECT_SERVER_API_HOST", host);
        }
        if (port != null) {
            o.put("PREFECT_SERVER_API_PORT", port.toString());
        }
        if (keepAliveTimeout != null) {
            o.put("PREFECT_SERVER_API_KEEPALIVE_TIMEOUT", keepAliveTimeout.toString());
        }
        if (logLevel != null) {
            o.put("PREFECT_SERVER_LOGGING_LEVEL", logLevel);
        }
        if (scheduler != null) {
            o.put("PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED", scheduler.toString());
        }
        if (lateRuns != null) {
            o.put("PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED", lateRuns.toString());
        }
        if (ui != null) {
            o.put("PREFECT_SERVER_UI_ENABLED", ui.toString());
        }
        if (analyticsOn || analyticsOff) {
            o.put("PREFECT_SERVER_ANALYTICS_ENABLED", Boolean.toString(analyticsOn && !analyticsOff));
        }
        if (noServices) {
            o.put("PREFECT_SERVER_ANALYTICS_ENABLED", "false");
        }
        return o;
    }

    private static void checkBindable(String host, int port, PidFile pidFile) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CliError("Invalid host '" + host + "'. Please specify a valid hostname or IP address.");
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            if (pidFile.exists()) {
                throw new CliError("A background server process is already running on port " + port
                        + ". Run `prefect server stop` to stop it or specify a different port with the `--port` flag.");
            }
            throw new CliError("Port " + port + " is already in use. Please specify a different port with the `--port` flag.");
        }
    }

    private int runInForeground(Settings settings) throws InterruptedException {
        PrefectServer server;
        boolean webserverOnly = noServices || "1".equals(System.getenv(WEBSERVER_ONLY));
        try {
            server = PrefectServer.start(settings, webserverOnly ? PrefectServer.Mode.WEBSERVER_ONLY : PrefectServer.Mode.ALL,
                    () -> DoctorCommand.databaseSections(settings, List.of("sqlite", "database", "migrations")).stream()
                            .map(f -> new SystemChecks.Result(f.section(), f.check(), f.status().label(), f.message(), f.fix())).toList());
        } catch (ServerStartException e) {
            throw new CliError(e.getMessage());
        }
        Optional<ClassCacheTraining> training = ClassCacheTraining.startIfNeeded(System.getenv(), console());
        ShutdownSignals.awaitTermination(() -> {
            training.ifPresent(ClassCacheTraining::stop);
            server.stop();
        });
        return 0;
    }
}
