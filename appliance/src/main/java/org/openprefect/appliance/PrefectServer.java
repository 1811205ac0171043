package org.openprefect.appliance;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import org.openprefect.appliance.admin.AdminService;
import org.openprefect.appliance.admin.CsrfService;
import org.openprefect.appliance.admin.RootService;
import org.openprefect.appliance.artifacts.ArtifactService;
import org.openprefect.appliance.artifacts.ArtifactsHttpService;
import org.openprefect.appliance.automations.AutomationService;
import org.openprefect.appliance.automations.AutomationsHttpService;
import org.openprefect.appliance.blocks.BlockDataCipher;
import org.openprefect.appliance.blocks.BlockDocumentService;
import org.openprefect.appliance.blocks.BlockDocumentsHttpService;
import org.openprefect.appliance.blocks.BlockSchemaService;
import org.openprefect.appliance.blocks.BlockSchemasHttpService;
import org.openprefect.appliance.blocks.BlockTypeService;
import org.openprefect.appliance.blocks.BlockTypesHttpService;
import org.openprefect.appliance.blocks.SystemBlockTypes;
import org.openprefect.appliance.common.Fernet;
import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.concurrency.ConcurrencyLimitService;
import org.openprefect.appliance.concurrency.DeploymentSlots;
import org.openprefect.appliance.concurrency.GlobalLimitsHttpService;
import org.openprefect.appliance.concurrency.Repossessor;
import org.openprefect.appliance.concurrency.TagLimitService;
import org.openprefect.appliance.concurrency.TagLimitsHttpService;
import org.openprefect.appliance.concurrency.TagSlots;
import org.openprefect.appliance.dashboard.DashboardHttpService;
import org.openprefect.appliance.dashboard.Sources;
import org.openprefect.appliance.dashboard.SystemChecks;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.appliance.db.DatabaseUnavailableException;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.deployments.DeploymentsHttpService;
import org.openprefect.appliance.deployments.Foreman;
import org.openprefect.appliance.deployments.Scheduler;
import org.openprefect.appliance.deployments.SchemaValuesValidation;
import org.openprefect.appliance.deployments.UiSchemasHttpService;
import org.openprefect.appliance.events.EventBus;
import org.openprefect.appliance.events.EventIntake;
import org.openprefect.appliance.events.EventPersister;
import org.openprefect.appliance.events.EventService;
import org.openprefect.appliance.events.EventTrimming;
import org.openprefect.appliance.events.EventsHttpService;
import org.openprefect.appliance.events.EventsInWebSocket;
import org.openprefect.appliance.events.EventsOutWebSocket;
import org.openprefect.appliance.events.WebSocketKeepalive;
import org.openprefect.appliance.events.WebSocketOptions;
import org.openprefect.appliance.flowruns.CancellationCleanup;
import org.openprefect.appliance.flowruns.FailExpiredPauses;
import org.openprefect.appliance.flowruns.FlowRunGraph;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flowruns.FlowRunViews;
import org.openprefect.appliance.flowruns.FlowRunsHttpService;
import org.openprefect.appliance.flowruns.MarkLateRuns;
import org.openprefect.appliance.flowruns.UiFlowRunsHttpService;
import org.openprefect.appliance.flows.FlowService;
import org.openprefect.appliance.flows.FlowsHttpService;
import org.openprefect.appliance.http.ApiVersionFilter;
import org.openprefect.appliance.http.BasicAuthFilter;
import org.openprefect.appliance.http.ConnectionCloseFilter;
import org.openprefect.appliance.http.CorsFilter;
import org.openprefect.appliance.http.ErrorResponses;
import org.openprefect.appliance.http.FallbackHandler;
import org.openprefect.appliance.http.GzipRequestBodies;
import org.openprefect.appliance.http.RequestHeadersTimeout;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.logs.LogService;
import org.openprefect.appliance.logs.LogsHttpService;
import org.openprefect.appliance.rollup.RollupFolding;
import org.openprefect.appliance.savedsearches.SavedSearchService;
import org.openprefect.appliance.savedsearches.SavedSearchesHttpService;
import org.openprefect.appliance.services.HeapRelease;
import org.openprefect.appliance.services.Leadership;
import org.openprefect.appliance.services.LoopService;
import org.openprefect.appliance.settings.SettingSource;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.appliance.taskruns.TaskRunRecorder;
import org.openprefect.appliance.taskruns.TaskRunService;
import org.openprefect.appliance.taskruns.TaskRunViews;
import org.openprefect.appliance.taskruns.TaskRunsHttpService;
import org.openprefect.appliance.taskruns.UiTaskRunsHttpService;
import org.openprefect.appliance.templates.TemplatesHttpService;
import org.openprefect.appliance.ui.OfficialUi;
import org.openprefect.appliance.ui.UiService;
import org.openprefect.appliance.variables.VariableService;
import org.openprefect.appliance.variables.VariablesHttpService;
import org.openprefect.appliance.workers.WorkerPolling;
import org.openprefect.appliance.workers.WorkerPollingHttpService;
import org.openprefect.appliance.workpools.WorkPoolService;
import org.openprefect.appliance.workpools.WorkPoolsHttpService;
import org.openprefect.appliance.workpools.WorkerMetadataHttpService;
import org.openprefect.migrations.MigrationException;
import org.openprefect.migrations.SqliteTemplate;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server: wires settings, database and HTTP services by hand, migrates, and serves.
 * {@link #start(Settings)} returns a running server; {@link #stop()} ends it.
 */
public final class PrefectServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PrefectServer.class.getName());
    /** Larger than any batch the client sends (logs go in batches of at most 4 MB). */
    static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final String EVENTS_IN = "/events/in";
    private static final String EVENTS_OUT = "/events/out";
    /** With server pings off, a quiet websocket subscriber is only closed after Helidon's default idleness. */
    private static final Duration WEBSOCKET_IDLE_WITHOUT_PINGS = Duration.ofMinutes(5);

    private final WebServer webServer;
    private final Database database;
    private final EventPersister emitted;
    private final WebSocketKeepalive keepalive;
    private final RequestHeadersTimeout headersTimeout;
    private final List<LoopService> services;
    private final EventIntake intake;

    private PrefectServer(WebServer webServer, Database database, EventPersister emitted, EventIntake intake, WebSocketKeepalive keepalive,
                          RequestHeadersTimeout headersTimeout, List<LoopService> services) {
        this.webServer = webServer;
        this.database = database;
        this.emitted = emitted;
        this.intake = intake;
        this.keepalive = keepalive;
        this.headersTimeout = headersTimeout;
        this.services = services;
    }

    /** What a process runs: the API and the background services (the default), only the API, or only the services. */
    public enum Mode { ALL, WEBSERVER_ONLY, SERVICES_ONLY }

    /** The block services made before routing (the system types are installed at start). */
    private record Blocks(BlockSchemaService schemas, SystemBlockTypes systemTypes, BlockDataCipher cipher) {
    }

    /**
     * Upstream reads the block data key from the environment only ({@code PREFECT_SERVER_ENCRYPTION_KEY},
     * formerly {@code ORION_ENCRYPTION_KEY}); a malformed one stops the start rather than a later save.
     */
    private static BlockDataCipher blockDataCipher(SqlDialect dialect) {
        String key = System.getenv("PREFECT_SERVER_ENCRYPTION_KEY");
        if (key == null || key.isBlank()) {
            key = System.getenv("ORION_ENCRYPTION_KEY");
        }
        if (key != null && !key.isBlank()) {
            try {
                new Fernet(key);
            } catch (IllegalArgumentException e) {
                throw new ServerStartException("PREFECT_SERVER_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64-encoded bytes): " + e.getMessage());
            }
        }
        return new BlockDataCipher(dialect, key);
    }

    /** The task's result; its failure is rethrown as it was thrown. */
    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("Interrupted while starting.");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    public static PrefectServer start(Settings settings) {
        return start(settings, Mode.ALL);
    }

    /** {@code prefect server start --no-services} is {@link Mode#WEBSERVER_ONLY}; {@code prefect server services start} {@link Mode#SERVICES_ONLY}. */
    public static PrefectServer start(Settings settings, Mode mode) {
        return start(settings, mode, SystemChecks.NONE);
    }

    /** {@code checks}: what the dashboard's system page runs on request ({@code prefect server start} hands in the doctor's database checks). */
    public static PrefectServer start(Settings settings, Mode mode, SystemChecks checks) {
        if (settings.bool("server.api.csrf_protection_enabled")) {
            throw new ServerStartException("PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED=true is not supported by this build yet; "
                    + "unset it to start the server.");
        }
        ServerVersion version = ServerVersion.current();
        long started = System.nanoTime();
        Database database;
        try {
            DatabaseConfig config = DatabaseConfig.from(settings);
            if (settings.bool("server.database.migrate_on_start")) {
                createFromTemplate(config);
            }
            database = Database.open(config);
        } catch (IllegalArgumentException | DatabaseUnavailableException e) {
            throw new ServerStartException(e.getMessage());
        }
        try {
            Optional<Path> officialUi = officialUiDirectory(settings);
            long opened = System.nanoTime();
            prepareSchema(database, settings.bool("server.database.migrate_on_start"), version.buildVersion());
            long migrated = System.nanoTime();
            String apiBase = apiBasePath(settings);
            EventBus bus = new EventBus();
            EventService events = new EventService(database, bus, List.of(new TaskRunRecorder(database.dialect())));
            EventPersister emitted = new EventPersister(database, bus);
            EventIntake intake = new EventIntake(events);
            Duration backfill = settings.duration("server.events.maximum_websocket_backfill");
            int backfillPage = settings.integer("server.events.websocket_backfill_page_size");
            String authString = settings.text("server.api.auth_string");
            ConcurrencyLimitService concurrency = new ConcurrencyLimitService(database, settings.integer("server.api.default_limit"));
            FlowRunService flowRuns = new FlowRunService(database, settings.integer("server.api.default_limit"), emitted::emit,
                    new DeploymentSlots(concurrency, settings.seconds("server.concurrency.initial_deployment_lease_duration"),
                            settings.number("server.deployments.concurrency_slot_wait_seconds")));
            WorkPoolService workPools = new WorkPoolService(database, settings.integer("server.api.default_limit"), emitted::emit);
            DeploymentService deployments = new DeploymentService(database, flowRuns, workPools, concurrency,
                    settings.integer("server.api.default_limit"), schedulingLimits(settings), emitted::emit);
            BlockSchemaService blockSchemas = new BlockSchemaService(database, settings.integer("server.api.default_limit"));
            SystemBlockTypes systemBlockTypes = new SystemBlockTypes(database, blockSchemas);
            // Registering the system block types (0.1 s of a restart, most of it code running for the first time) runs beside
            // building the routes; the listener opens once they are registered, as upstream's does.
            FutureTask<Long> blockTypes = new FutureTask<>(() -> {
                long from = System.nanoTime();
                if (mode != Mode.SERVICES_ONLY && settings.bool("server.register_blocks_on_start")) {
                    systemBlockTypes.install();
                }
                return System.nanoTime() - from;
            });
            Thread.ofPlatform().name("register-block-types").start(blockTypes);
            List<LoopService> services = new ArrayList<>(mode == Mode.WEBSERVER_ONLY ? List.of()
                    : backgroundServices(settings, database, flowRuns, deployments, workPools, concurrency));
            // Not one of upstream's services and in every mode: the triggers record each run change, and
            // unfolded changes would pile up behind a webserver started without services.
            services.add(new RollupFolding(database));
            services.add(new HeapRelease());
            WebSocketKeepalive keepalive = new WebSocketKeepalive(
                    settings.seconds("server.api.websocket_ping_interval"), settings.seconds("server.api.websocket_ping_timeout"));
            WebSocketOptions sockets = new WebSocketOptions(authString, keepalive, settings.integer("server.api.websocket_max_message_size"));
            RequestHeadersTimeout headersTimeout = new RequestHeadersTimeout(settings.seconds("server.api.request_headers_timeout"));
            WebServer webServer = mode == Mode.SERVICES_ONLY ? null : WebServer.builder()
                    .host(settings.text("server.api.host"))
                    .port(settings.integer("server.api.port"))
                    .shutdownHook(false)
                    .maxPayloadSize(MAX_REQUEST_BYTES)
                    // Without it a response written in two segments waits for the client's delayed ACK: ~40 ms on
                    // every mid-sized answer over a kept-alive connection (httpx, the UI), measured by the UI benchmark.
                    .connectionOptions(options -> options.tcpNoDelay(true))
                    .maxTcpConnections(settings.integer("server.api.max_connections"))
                    .idleConnectionTimeout(idleConnectionTimeout(settings))
                    .idleConnectionPeriod(Duration.ofSeconds(1))
                    // One HTTP/1.1 configuration, not a discovered one beside ours: with a single protocol
                    // Helidon opens the connection before its first byte, so the idle timeout covers a
                    // client that connects and never speaks.
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder().addReceiveListener(headersTimeout).build())
                    .addProtocol(WsConfig.create())
                    .contentEncoding(GzipRequestBodies.context())
                    .routing(r -> routing(r, settings, database, events, flowRuns, deployments, workPools, concurrency, services, version,
                            apiBase, new Blocks(blockSchemas, systemBlockTypes, blockDataCipher(database.dialect())), officialUi, checks))
                    .addRouting(WsRouting.builder()
                            .endpoint(apiBase + EVENTS_IN, () -> new EventsInWebSocket(intake, sockets))
                            .endpoint(apiBase + EVENTS_OUT, () -> new EventsOutWebSocket(events, bus, sockets, backfill, backfillPage)))
                    .build();
            long blockTypesNanos = result(blockTypes);
            if (webServer != null) {
                webServer.start();
            }
            services.forEach(loop -> loop.start(loop.runsInEveryServer() ? Leadership.alone() : Leadership.of(database, loop.name())));
            long ready = System.nanoTime();
            // What a start costs, part by part (PREFECT_SERVER_LOGGING_LEVEL=INFO shows it): docs/performance.md.
            LOG.info(String.format(Locale.ROOT, "Started in %d ms: database %d ms, schema check %d ms, routes and listener %d ms "
                            + "(block types %d ms beside them)", (ready - started) / 1_000_000, (opened - started) / 1_000_000,
                    (migrated - opened) / 1_000_000, (ready - migrated) / 1_000_000, blockTypesNanos / 1_000_000));
            return new PrefectServer(webServer, database, emitted, intake, keepalive, headersTimeout, services);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * How long a connection may sit between requests: upstream's keepalive timeout (uvicorn's, 5 s),
     * but never shorter than a websocket may be silent between the server's pings and the pongs
     * (Helidon measures one idleness for both kinds of connection).
     */
    private static Duration idleConnectionTimeout(Settings settings) {
        Duration pingInterval = settings.seconds("server.api.websocket_ping_interval");
        Duration websocketSilence = pingInterval.isZero() || pingInterval.isNegative() ? WEBSOCKET_IDLE_WITHOUT_PINGS
                : pingInterval.plus(settings.seconds("server.api.websocket_ping_timeout"));
        return Collections.max(List.of(settings.seconds("server.api.keepalive_timeout"), websocketSilence));
    }

    private static void routing(HttpRouting.Builder r, Settings settings, Database database, EventService events,
                                FlowRunService flowRuns, DeploymentService deployments, WorkPoolService workPools,
                                ConcurrencyLimitService concurrency, List<LoopService> services,
                                ServerVersion version, String apiBase, Blocks blocks, Optional<Path> officialUi, SystemChecks checks) {
        r.addFilter(new ConnectionCloseFilter());
        // Before authentication, as upstream's outermost middleware: a browser's preflight carries no credentials.
        r.addFilter(new CorsFilter(settings.text("server.api.cors_allowed_origins"), settings.text("server.api.cors_allowed_methods"),
                settings.text("server.api.cors_allowed_headers")));
        String authString = settings.text("server.api.auth_string");
        if (authString != null && !authString.isEmpty()) {
            boolean dashboard = settings.bool("server.ui.enabled") && officialUi.isEmpty();
            r.addFilter(new BasicAuthFilter(authString, apiBase, Set.of(EVENTS_IN, EVENTS_OUT),
                    dashboard ? Optional.of(settings.text("server.ui.serve_base")) : Optional.empty()));
        }
        r.addFilter(new ApiVersionFilter(apiBase));
        RouteTable routes = new RouteTable(apiBase);
        int limit = settings.integer("server.api.default_limit");
        // Every service is mounted at the API's base, so Helidon tries route after route in the order
        // registered (about 600): the resources a running flow calls most come first (the profile of
        // the run lifecycle had 5 % of the server's CPU in route matching; docs/performance.md).
        LogService logs = new LogService(database, limit);
        r.register(apiBase, new FlowRunsHttpService(routes, flowRuns, logs));
        r.register(apiBase, new LogsHttpService(routes, logs));
        TaskRunService taskRuns = new TaskRunService(database, limit, settings.integer("server.tasks.max_cache_key_length"),
                new TagSlots(concurrency, settings.number("server.tasks.tag_concurrency_slot_wait_seconds")));
        r.register(apiBase, new TaskRunsHttpService(routes, taskRuns));
        r.register(apiBase, new RootService(routes, database, version, services));
        r.register(apiBase, new AdminService(routes, settings, version));
        r.register(apiBase, new CsrfService(routes));
        FlowService flows = new FlowService(database, limit);
        r.register(apiBase, new FlowsHttpService(routes, flows));
        r.register(apiBase, new DeploymentsHttpService(routes, deployments));
        r.register(apiBase, new TemplatesHttpService(routes));
        r.register(apiBase, new AutomationsHttpService(routes, new AutomationService(database, limit)));
        r.register(apiBase, new WorkPoolsHttpService(routes, workPools));
        r.register(apiBase, new WorkerMetadataHttpService(routes));
        r.register(apiBase, new GlobalLimitsHttpService(routes, concurrency));
        TagLimitService tagLimits = new TagLimitService(concurrency, limit, settings.number("server.tasks.tag_concurrency_slot_wait_seconds"));
        r.register(apiBase, new TagLimitsHttpService(routes, tagLimits));
        r.register(apiBase, new WorkerPollingHttpService(routes, new WorkerPolling(database, flowRuns, deployments, workPools, limit)));
        r.register(apiBase, new UiFlowRunsHttpService(routes, new FlowRunViews(database), new FlowRunGraph(database,
                settings.integer("server.flow_run_graph.max_nodes"), settings.integer("server.flow_run_graph.max_artifacts"))));
        r.register(apiBase, new UiTaskRunsHttpService(routes, new TaskRunViews(database)));
        r.register(apiBase, new EventsHttpService(routes, events, apiBase));
        BlockDocumentService blockDocuments = new BlockDocumentService(database, blocks.schemas(), blocks.cipher(), limit);
        r.register(apiBase, new BlockTypesHttpService(routes, new BlockTypeService(database, limit), blockDocuments, blocks.systemTypes()));
        r.register(apiBase, new BlockSchemasHttpService(routes, blocks.schemas()));
        r.register(apiBase, new BlockDocumentsHttpService(routes, blockDocuments));
        VariableService variables = new VariableService(database, limit);
        r.register(apiBase, new VariablesHttpService(routes, variables));
        r.register(apiBase, new UiSchemasHttpService(routes, new SchemaValuesValidation(variables::valueOf)));
        ArtifactService artifacts = new ArtifactService(database, limit);
        r.register(apiBase, new ArtifactsHttpService(routes, artifacts));
        r.register(apiBase, new SavedSearchesHttpService(routes, new SavedSearchService(database, limit)));
        r.register(new UiService(apiBase));
        if (settings.bool("server.ui.enabled") && officialUi.isEmpty()) {
            r.register(new DashboardHttpService(new Sources(version, database, services, flows, flowRuns, taskRuns, logs, deployments, workPools,
                    concurrency, tagLimits, blockDocuments, variables, artifacts, events), checks, settings.text("server.ui.serve_base"), apiBase));
        }
        officialUi.ifPresent(dir -> r.register(new OfficialUi(dir, settings.text("server.ui.serve_base"), apiBase,
                req -> OfficialUi.settingsBody(req, configuredUiApiUrl(settings), apiBase, settings.bool("server.api.csrf_protection_enabled"),
                        authString != null && !authString.isEmpty()))));
        r.any(new FallbackHandler(routes));
        ErrorResponses.register(r);
        r.error(Exception.class, (req, res, e) -> {
            LOG.log(Level.SEVERE, "Unhandled error on " + req.prologue().method().text() + " " + req.path().path(), e);
            Responses.json(req, res, 500, Map.of("exception_message", "Internal Server Error"));
        });
    }

    /** {@code PREFECT_SERVER_UI_STATIC_DIRECTORY}, when the UI is on and it is set: the official UI build to serve at the UI's base. */
    private static Optional<Path> officialUiDirectory(Settings settings) {
        String dir = settings.text("server.ui.static_directory");
        if (!settings.bool("server.ui.enabled") || dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(dir);
        if (!OfficialUi.isBuild(path)) {
            throw new ServerStartException("PREFECT_SERVER_UI_STATIC_DIRECTORY=" + dir + " holds no index.html: point it at a built Prefect UI "
                    + "(the prefect/server/ui folder of a prefect wheel), or unset it to serve this server's own pages.");
        }
        return Optional.of(path);
    }

    /** The API URL the operator gave the UI ({@code PREFECT_UI_API_URL}, else {@code PREFECT_API_URL}); empty when neither is set. */
    private static Optional<String> configuredUiApiUrl(Settings settings) {
        if (settings.get("server.ui.api_url").source() != SettingSource.DEFAULTS) {
            return Optional.ofNullable(settings.text("server.ui.api_url"));
        }
        return Optional.ofNullable(settings.text("api.url"));
    }

    /** The loops upstream's server runs in-process, each switched by its {@code PREFECT_SERVER_SERVICES_*_ENABLED}. */
    private static DeploymentService.SchedulingLimits schedulingLimits(Settings settings) {
        return new DeploymentService.SchedulingLimits(settings.integer("server.services.scheduler.min_runs"),
                settings.integer("server.services.scheduler.max_runs"), settings.duration("server.services.scheduler.min_scheduled_time"),
                settings.duration("server.services.scheduler.max_scheduled_time"),
                settings.integer("server.services.scheduler.deployment_batch_size"));
    }

    private static List<LoopService> backgroundServices(Settings settings, Database database, FlowRunService flowRuns,
                                                        DeploymentService deployments, WorkPoolService workPools,
                                                        ConcurrencyLimitService concurrency) {
        SqlDialect dialect = database.dialect();
        List<LoopService> services = new ArrayList<>();
        if (settings.bool("server.services.late_runs.enabled")) {
            services.add(new MarkLateRuns(flowRuns, settings.seconds("server.services.late_runs.loop_seconds"),
                    settings.duration("server.services.late_runs.after_seconds")));
        }
        if (settings.bool("server.services.pause_expirations.enabled")) {
            services.add(new FailExpiredPauses(flowRuns, settings.seconds("server.services.pause_expirations.loop_seconds")));
        }
        if (settings.bool("server.services.cancellation_cleanup.enabled")) {
            services.add(new CancellationCleanup(flowRuns, dialect, settings.seconds("server.services.cancellation_cleanup.loop_seconds"),
                    settings.seconds("server.services.cancellation_cleanup.cancelling_timeout_seconds")));
        }
        if (settings.bool("server.services.foreman.enabled")) {
            services.add(new Foreman(deployments, workPools, settings.seconds("server.services.foreman.loop_seconds"),
                    new Foreman.Limits(settings.integer("server.services.foreman.inactivity_heartbeat_multiple"),
                            settings.integer("server.services.foreman.fallback_heartbeat_interval_seconds"),
                            settings.seconds("server.services.foreman.deployment_last_polled_timeout_seconds"),
                            settings.seconds("server.services.foreman.work_queue_last_polled_timeout_seconds"))));
        }
        if (settings.bool("server.services.repossessor.enabled")) {
            services.add(new Repossessor(concurrency, settings.seconds("server.services.repossessor.loop_seconds")));
        }
        if (settings.bool("server.services.event_persister.enabled")) {
            services.add(new EventTrimming(database, settings.duration("server.events.retention_period")));
        }
        if (settings.bool("server.services.scheduler.enabled")) {
            services.add(Scheduler.main(deployments, settings.seconds("server.services.scheduler.loop_seconds")));
            services.add(Scheduler.recentDeployments(deployments,
                    settings.seconds("server.services.scheduler.recent_deployments_loop_seconds")));
        }
        return services;
    }

    /** A new SQLite file starts as a copy of the build's empty database at head ({@link SqliteTemplate}), not by running the changelog. */
    private static void createFromTemplate(DatabaseConfig config) {
        String file = config.url().sqlitePath();
        if (file == null) {
            return;
        }
        try {
            if (SqliteTemplate.createIfAbsent(Path.of(file))) {
                LOG.info("Created the new database " + file + " from this build's schema");
            }
        } catch (IOException | RuntimeException e) {
            // The changelog then makes it, and reports what is wrong with the place if anything is.
            LOG.info("Could not create " + file + " from this build's schema (" + e.getMessage() + "); migrating it instead");
        }
    }

    private static void prepareSchema(Database database, boolean migrateOnStart, String buildVersion) {
        try {
            if (migrateOnStart) {
                database.migrateToHead(buildVersion);
            } else if (database.hasPendingMigrations(buildVersion)) {
                throw new ServerStartException("The database schema at " + database.url().masked()
                        + " is not up to date and PREFECT_SERVER_DATABASE_MIGRATE_ON_START is false. "
                        + "Run `prefect server database upgrade -y` first.");
            }
        } catch (SQLException e) {
            throw new ServerStartException("Cannot open the database at " + database.url().masked() + ": " + e.getMessage());
        } catch (MigrationException e) {
            throw new ServerStartException(e.getMessage() + " (database " + database.url().masked() + ")");
        }
    }

    /** {@code PREFECT_SERVER_API_BASE_PATH} without a trailing slash; {@code /api} when unset. */
    public static String apiBasePath(Settings settings) {
        String base = settings.text("server.api.base_path");
        if (base == null || base.isBlank() || base.equals("/")) {
            return "/api";
        }
        base = base.startsWith("/") ? base : "/" + base;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The API's port; not for a services-only process, which has none. */
    public int port() {
        return webServer.port();
    }

    /** The background services this process runs, for {@code prefect server services ls} and readiness. */
    public List<LoopService> services() {
        return services;
    }

    public Database database() {
        return database;
    }

    public void stop() {
        services.forEach(LoopService::close);
        if (webServer != null) {
            webServer.stop();
        }
        // What the sockets took in before they closed is stored before the database closes.
        intake.close();
        keepalive.close();
        headersTimeout.close();
        emitted.close();
        database.close();
    }

    @Override
    public void close() {
        stop();
    }
}
