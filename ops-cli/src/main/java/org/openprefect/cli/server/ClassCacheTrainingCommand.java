package org.openprefect.cli.server;

import org.openprefect.appliance.PrefectServer;
import org.openprefect.appliance.ServerStartException;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.appliance.settings.SettingsEnvironment;
import org.openprefect.appliance.settings.SettingsException;
import org.openprefect.appliance.settings.SettingsLoader;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.Folders;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code prefect server train-class-cache} (hidden): the training run of the image's class cache.
 * The image runs it once per image and volume, in the background and under
 * {@code -XX:AOTMode=record}, after its first start (docs/container.md): a server on a throwaway
 * SQLite database, started on a new database and again on the same one, each time driven through a
 * run's lifecycle, the events socket and the dashboard. What this loaded, linked and profiled goes
 * into the cache that every later start maps. Nothing here touches the operator's
 * settings or database: the settings are built from a clean environment.
 */
@Command(name = "train-class-cache", hidden = true, mixinStandardHelpOptions = true,
        description = "Run a throwaway server through a run's lifecycle (the image's class-cache training; see docs/container.md).",
        footer = {"", "Exit codes: 0 trained, 1 the throwaway server failed."})
public final class ClassCacheTrainingCommand extends BaseCommand {
    private static final Pattern FIRST_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    /**
     * Made when the command runs, not when the command tree is built: a client made before the CLI's
     * ApiClient sets its TLS properties would freeze java.net.http's settings for every command.
     */
    private HttpClient http;

    @Override
    protected int run() throws Exception {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Path home = Files.createTempDirectory("prefect-class-cache-");
        try {
            for (String database : List.of("a new database", "the same database again")) {
                console().println("[class cache] a throwaway server on " + database);
                try (PrefectServer server = PrefectServer.start(settings(home), PrefectServer.Mode.ALL)) {
                    drive("http://127.0.0.1:" + server.port());
                }
            }
            console().println("[class cache] trained");
            return 0;
        } catch (ServerStartException | IOException e) {
            throw new CliError("The class-cache training failed: " + e.getMessage());
        } finally {
            Folders.deleteQuietly(home);
        }
    }

    private static Settings settings(Path home) {
        Map<String, String> env = Map.of("PREFECT_HOME", home.toString(), "PREFECT_SERVER_API_HOST", "127.0.0.1",
                "PREFECT_SERVER_API_PORT", "0", "PREFECT_SERVER_LOGGING_LEVEL", "ERROR");
        try {
            return new SettingsLoader(new SettingsEnvironment(env, home, null)).load();
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** What a start's first minutes serve: the client's lifecycle calls, its task-run events, the dashboard. */
    private void drive(String base) throws IOException, InterruptedException {
        String api = base + "/api";
        for (int round = 0; round < 3; round++) {
            String flow = id(post(api + "/flows/", "{\"name\":\"class-cache\"}"));
            String run = id(post(api + "/flow_runs/", "{\"flow_id\":\"" + flow + "\",\"state\":{\"type\":\"PENDING\"}}"));
            post(api + "/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}");
            String task = id(post(api + "/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"t-" + round
                    + "\",\"dynamic_key\":\"0\",\"name\":\"t\",\"state\":{\"type\":\"RUNNING\"}}"));
            post(api + "/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}");
            post(api + "/logs/", "[{\"name\":\"prefect.flow_runs\",\"level\":20,\"message\":\"hello\",\"timestamp\":\""
                    + Instant.now() + "\",\"flow_run_id\":\"" + run + "\"}]");
            sendTaskRunEvent(api, run, flow);
            post(api + "/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}");
            post(api + "/flow_runs/filter", "{\"flow_runs\":{\"id\":{\"any_\":[\"" + run + "\"]}}}");
            post(api + "/task_runs/filter", "{\"limit\":10}");
            post(api + "/logs/filter", "{\"limit\":10}");
            post(api + "/events/filter", "{\"limit\":10}");
            get(api + "/flow_runs/" + run);
            get(api + "/health");
            get(api + "/admin/version");
            get(base + "/");
        }
    }

    /** One Pending event of a new task run, as the client sends it over /api/events/in. */
    private void sendTaskRunEvent(String api, String flowRun, String flow) throws InterruptedException {
        String now = Instant.now().toString();
        String event = "{\"id\":\"" + UUID.randomUUID() + "\",\"occurred\":\"" + now + "\",\"event\":\"prefect.task-run.Pending\","
                + "\"resource\":{\"prefect.resource.id\":\"prefect.task-run." + UUID.randomUUID() + "\",\"prefect.resource.name\":\"t\","
                + "\"prefect.state-type\":\"PENDING\",\"prefect.state-name\":\"Pending\",\"prefect.state-timestamp\":\"" + now + "\"},"
                + "\"related\":[{\"prefect.resource.id\":\"prefect.flow-run." + flowRun + "\",\"prefect.resource.role\":\"flow-run\"},"
                + "{\"prefect.resource.id\":\"prefect.flow." + flow + "\",\"prefect.resource.role\":\"flow\"}],"
                + "\"payload\":{\"intended\":{\"from\":null,\"to\":\"PENDING\"},\"initial_state\":null,"
                + "\"validated_state\":{\"type\":\"PENDING\",\"name\":\"Pending\",\"message\":\"\",\"state_details\":{},\"data\":null},"
                + "\"task_run\":{\"name\":\"t\",\"task_key\":\"t-event\",\"dynamic_key\":\"" + UUID.randomUUID() + "\","
                + "\"empirical_policy\":{},\"tags\":[],\"labels\":{},\"task_inputs\":{},\"run_count\":0,\"flow_run_run_count\":1,"
                + "\"expected_start_time\":\"" + now + "\"}},\"follows\":null}";
        URI socket = URI.create(api.replaceFirst("^http", "ws") + "/events/in");
        try {
            WebSocket ws = http.newWebSocketBuilder().buildAsync(socket, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            ws.sendText(event, true).get(10, TimeUnit.SECONDS);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new CliError("The events socket of the throwaway server failed: " + e);
        }
    }

    private String post(String url, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private void get(String url) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static String id(String body) throws IOException {
        Matcher m = FIRST_ID.matcher(body);
        if (!m.find()) {
            throw new IOException("no id in " + body);
        }
        return m.group(1);
    }
}
