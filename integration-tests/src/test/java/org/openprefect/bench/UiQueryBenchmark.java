package org.openprefect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openprefect.it.support.Browser;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.TestDatabase;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UI at scale (issue 16): seeds N flow runs with 3 task runs each and their states straight
 * into the database (spread over the last week, mostly Completed, some Failed, Running, Scheduled
 * and Cancelled), then times, through the real server, every call the official UI made on its
 * dashboard, runs and flows pages in traces/ui.jsonl (time windows moved to now). Prints p50 and
 * p95 per call. Not a test: run it with {@code integration-tests/bench.sh ui [runs] [databases] [keep]}.
 */
public final class UiQueryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ISO_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?Z");
    private static final int REPEATS = 20;
    private static final int FLOWS = 50;
    private static final int BATCH = 5_000;

    /** One timed request: an API call ({@code path} under {@code /api}) or, when {@code page}, a dashboard page. */
    private record Call(String method, String path, String body, boolean page) {
        Call(String method, String path, String body) {
            this(method, path, body, false);
        }
    }

    private UiQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<String> databases = Arrays.asList((args.length > 1 ? args[1] : "sqlite,postgresql").split(","));
        // "keep": the seed stays (a directory under the temp dir, a PostgreSQL database) and the next run with
        // the same size reuses it after migrating it, as an upgrade would; seeding a million runs takes 15-30 min.
        boolean keep = args.length > 2 && args[2].equals("keep");
        List<Call> calls = uiCalls();
        for (String db : databases) {
            String keptName = "openprefect_uibench_" + db + "_" + runs;
            Prefect prefect = new Prefect(keep ? Path.of(System.getProperty("java.io.tmpdir"), keptName) : Files.createTempDirectory("openprefect-uibench-"));
            // No background services: the scheduler and late-runs loop would change the seed while it is timed.
            prefect.env("PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED", "false").env("PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED", "false");
            try (TestDatabase database = keep ? TestDatabase.kept(db, prefect, keptName) : TestDatabase.create(db, prefect)) {
                // As an operator upgrades: the migrations first (on a kept seed, the new revisions' indexes are built here).
                Instant upgradeAt = Instant.now();
                var upgrade = prefect.run("server", "database", "upgrade", "-y");
                if (upgrade.exitCode() != 0) {
                    throw new IllegalStateException("upgrade failed: " + upgrade);
                }
                System.out.printf("%s: prefect server database upgrade took %.1f s%n", db, Duration.between(upgradeAt, Instant.now()).toMillis() / 1000.0);
                Instant startAt = Instant.now();
                try (RunningServer server = RunningServer.start(prefect)) {
                    System.out.printf("%s: the server was healthy %.1f s after its start%n", db,
                            Duration.between(startAt, Instant.now()).toMillis() / 1000.0);
                    HttpClient http = HttpClient.newHttpClient();
                    List<Call> timed = new ArrayList<>(calls);
                    try (Connection c = database.connect()) {
                        long seeded = Long.parseLong(Sql.scalar(c, "SELECT count(*) FROM flow_run"));
                        if (seeded == runs) {
                            System.out.printf("%s: reusing the kept seed of %,d flow runs%n", db, runs);
                        } else if (seeded != 0) {
                            throw new IllegalStateException(db + " holds " + seeded + " flow runs, not " + runs + ": remove " + keptName);
                        } else {
                            seedThroughServer(http, server, c, database.isSqlite(), db, runs);
                        }
                        awaitRollup(c, db);
                        timed.addAll(dashboardPages(c));
                    }
                    System.out.printf("%-10s %-50s %9s %9s %9s%n", "database", "call", "p50 ms", "p95 ms", "status");
                    for (Call call : timed) {
                        time(http, server, db, call);
                    }
                    inBrowser(server, db, timed.stream().filter(Call::page).map(Call::path).toList());
                }
            }
        }
    }

    private static void seedThroughServer(HttpClient http, RunningServer server, Connection c, boolean sqlite, String db, int runs) throws Exception {
        List<String> flows = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            flows.add(JSON.readTree(send(http, "POST", server.api("/flows/"), "{\"name\":\"bench-flow-" + i + "\"}").body()).get("id").asText());
        }
        Instant seedStart = Instant.now();
        seed(c, sqlite, flows, runs);
        System.out.printf("%s: seeded %,d flow runs and %,d task runs with their states in %d s%n", db, runs, runs * 3,
                Duration.between(seedStart, Instant.now()).toSeconds());
    }

    /**
     * Waits until the server has folded the run changes pending in the rollup (r0009): after an
     * upgrade every existing run is pending, and until they are folded the UI's counts are read from
     * the runs. Prints how long that took.
     */
    private static void awaitRollup(Connection c, String db) throws Exception {
        Instant start = Instant.now();
        String pending = "SELECT COALESCE(max(id) - min(id) + 1, 0) FROM run_rollup_delta";
        long first = Long.parseLong(Sql.scalar(c, pending));
        while (Long.parseLong(Sql.scalar(c, pending)) > 1000) {
            Thread.sleep(1000);
        }
        System.out.printf("%s: %,d run changes were pending in the rollup; folded %.1f s after the server was healthy%n", db, first,
                Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }

    private static void time(HttpClient http, RunningServer server, String db, Call call) throws Exception {
        String url = call.page() ? server.base() + call.path() : server.api(call.path());
        int status = 0;
        for (int i = 0; i < 2; i++) {
            status = send(http, call.method(), url, call.body()).statusCode();
        }
        long[] nanos = new long[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            status = send(http, call.method(), url, call.body()).statusCode();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        String label = (call.page() ? "PAGE " : call.method() + " ") + call.path() + (call.body() == null ? "" : " " + abbreviate(call.body()));
        System.out.printf("%-10s %-50s %9.1f %9.1f %9d%n", db, label.length() > 50 ? label.substring(0, 50) : label, nanos[REPEATS / 2] / 1e6,
                nanos[(int) Math.ceil(REPEATS * 0.95) - 1] / 1e6, status);
    }

    /**
     * Each dashboard page opened in headless Chromium on the seed, as a person would: the time until
     * the page has loaded (navigation start to load event, its scripts included) and any error the
     * browser logged. Skipped with a line saying so where Chromium is not installed.
     */
    private static void inBrowser(RunningServer server, String db, List<String> paths) {
        if (!Files.isExecutable(Browser.CHROMIUM) || !Files.isExecutable(Browser.CHROMEDRIVER)) {
            System.out.println(db + ": no Chromium at " + Browser.CHROMIUM + "; the pages were not opened in a browser");
            return;
        }
        try (Browser browser = Browser.open()) {
            System.out.printf("%-10s %-50s %9s %9s%n", "database", "page in Chromium", "load ms", "errors");
            for (String path : paths) {
                browser.driver().get(server.base() + path);
                long loaded = (Long) browser.driver().executeScript(
                        "const t = performance.getEntriesByType('navigation')[0]; return Math.round(t.loadEventEnd - t.startTime);");
                List<String> errors = browser.consoleErrors();
                System.out.printf("%-10s %-50s %9d %9d%n", db, path.length() > 50 ? path.substring(0, 50) : path, loaded, errors.size());
                errors.forEach(e -> System.out.println("    " + e));
            }
        }
    }

    /** The appliance's own dashboard (issue 17): its pages as an operator opens them, on the same seed. */
    private static List<Call> dashboardPages(Connection c) throws Exception {
        String newest = Sql.scalar(c, "SELECT id FROM flow_run ORDER BY expected_start_time DESC LIMIT 1");
        String flow = Sql.scalar(c, "SELECT id FROM flow ORDER BY name LIMIT 1");
        List<Call> pages = new ArrayList<>();
        for (String path : List.of("/dashboard", "/dashboard?window=7d", "/runs", "/runs/table", "/runs?state=FAILED&state=CRASHED",
                "/runs?state=COMPLETED&window=30d&page=200", "/runs?flow=bench-flow-1&sort=START_TIME_DESC", "/runs/flow-run/" + newest, "/flows",
                "/flows/flow/" + flow, "/deployments", "/work-pools", "/events", "/settings")) {
            pages.add(new Call("GET", path, null, true));
        }
        return pages;
    }

    /** The recorded page calls without ids of the recorded session, their times moved so the trace's "now" is now. */
    private static List<Call> uiCalls() throws Exception {
        Map<String, Call> calls = new LinkedHashMap<>();
        Instant recordedNow = null;
        List<JsonNode> records = new ArrayList<>();
        try (InputStream in = UiQueryBenchmark.class.getResourceAsStream("/traces/ui-http.jsonl")) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                records.add(JSON.readTree(line));
            }
        }
        for (JsonNode r : records) {
            if (recordedNow == null && r.path("req_body").toString().contains("before_")) {
                Matcher m = ISO_TIME.matcher(r.get("req_body").toString());
                if (m.find()) {
                    recordedNow = Instant.parse(m.group(1) + "Z");
                }
            }
        }
        Duration shift = recordedNow == null ? Duration.ZERO : Duration.between(recordedNow, Instant.now());
        for (JsonNode r : records) {
            String method = r.get("method").asText();
            String path = r.get("path").asText().replaceFirst("^/api", "");
            String body = r.get("req_body").isNull() ? null : r.get("req_body").toString();
            boolean fromPages = "chromium".equals(r.get("proc").asText()) && !"OPTIONS".equals(method);
            if (!fromPages || UUID_TEXT.matcher(path).find() || body != null && UUID_TEXT.matcher(body).find() || path.contains("uijudge")) {
                continue;
            }
            String moved = body == null ? null : moveTimes(body, shift);
            calls.putIfAbsent(method + path + body, new Call(method, path, moved));
        }
        return new ArrayList<>(calls.values());
    }

    private static String moveTimes(String body, Duration shift) {
        Matcher m = ISO_TIME.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Instant.parse(m.group(1) + "Z").plus(shift).toString());
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Flow runs, their states and three task runs each with theirs, in batches, as the engine would have left them. */
    private static void seed(Connection c, boolean sqlite, List<String> flows, int runs) throws Exception {
        c.setAutoCommit(false);
        Random random = new Random(42);
        Instant now = Instant.now();
        String[] types = {"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "RUNNING", "SCHEDULED",
            "CANCELLED"};
        String interval = sqlite ? "?" : "CAST(? AS interval)";
        try (PreparedStatement run = c.prepareStatement("INSERT INTO flow_run (id, created, updated, name, flow_id, state_id, tags, state_type, "
                + "state_name, state_timestamp, run_count, expected_start_time, next_scheduled_start_time, start_time, end_time, total_run_time) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + interval + ")");
             PreparedStatement runState = c.prepareStatement("INSERT INTO flow_run_state (id, created, updated, type, timestamp, name, state_details, "
                     + "flow_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement task = c.prepareStatement("INSERT INTO task_run (id, created, updated, name, flow_run_id, task_key, dynamic_key, "
                     + "state_id, state_type, state_name, state_timestamp, run_count, expected_start_time, start_time, end_time, total_run_time) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + interval + ")");
             PreparedStatement taskState = c.prepareStatement("INSERT INTO task_run_state (id, created, updated, type, timestamp, name, state_details, "
                     + "task_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < runs; i++) {
                String type = types[random.nextInt(types.length)];
                boolean scheduled = type.equals("SCHEDULED");
                Instant expected = scheduled ? now.plusSeconds(random.nextInt(86_400)) : now.minusSeconds(random.nextInt(7 * 86_400));
                Instant start = scheduled ? null : expected.plusMillis(random.nextInt(5_000));
                double seconds = type.equals("RUNNING") || scheduled ? 0 : 1 + random.nextInt(600);
                Instant end = start == null || type.equals("RUNNING") ? null : start.plusMillis((long) (seconds * 1000));
                Instant stateAt = end != null ? end : start != null ? start : now;
                String runId = UUID.randomUUID().toString();
                String stateId = UUID.randomUUID().toString();
                String name = type.charAt(0) + type.substring(1).toLowerCase();
                // PostgreSQL checks flow_run.state_id against flow_run_state: set it once the states are in (below).
                Sql.bind(run, sqlite, runId, stateAt, stateAt, "bench-run-" + i, flows.get(i % flows.size()), sqlite ? stateId : null, "[\"bench\"]", type,
                        name, stateAt,
                        scheduled ? 0 : 1, expected, scheduled ? expected : null, start, end, sqlite ? seconds : seconds + " seconds");
                run.addBatch();
                Sql.bind(runState, sqlite, stateId, stateAt, stateAt, type, stateAt, name, scheduled ? "{\"scheduled_time\":\"" + expected + "\"}" : "{}",
                        runId);
                runState.addBatch();
                for (int t = 0; t < 3; t++) {
                    String taskId = UUID.randomUUID().toString();
                    String taskStateId = UUID.randomUUID().toString();
                    String taskType = scheduled ? "PENDING" : type.equals("FAILED") && t == 2 ? "FAILED" : type.equals("RUNNING") && t == 2
                            ? "RUNNING" : "COMPLETED";
                    Instant taskStart = start == null ? null : start.plusMillis(t * 100L);
                    Instant taskEnd = taskStart == null || taskType.equals("RUNNING") ? null : taskStart.plusMillis(50);
                    Instant taskAt = taskEnd != null ? taskEnd : taskStart != null ? taskStart : now;
                    String taskName = taskType.charAt(0) + taskType.substring(1).toLowerCase();
                    Sql.bind(task, sqlite, taskId, taskAt, taskAt, "task-" + t + "-" + i, runId, "task-" + t, "0", sqlite ? taskStateId : null, taskType,
                            taskName, taskAt,
                            taskStart == null ? 0 : 1, expected, taskStart, taskEnd, sqlite ? 0.05 : "0.05 seconds");
                    task.addBatch();
                    Sql.bind(taskState, sqlite, taskStateId, taskAt, taskAt, taskType, taskAt, taskName, "{}", taskId);
                    taskState.addBatch();
                }
                if ((i + 1) % BATCH == 0 || i == runs - 1) {
                    run.executeBatch();
                    runState.executeBatch();
                    task.executeBatch();
                    taskState.executeBatch();
                    c.commit();
                    if ((i + 1) % (BATCH * 20) == 0) {
                        System.out.printf("  seeded %,d runs%n", i + 1);
                    }
                }
            }
        }
        try (Statement s = c.createStatement()) {
            if (!sqlite) {
                s.execute("UPDATE flow_run SET state_id = s.id FROM flow_run_state s WHERE s.flow_run_id = flow_run.id");
                s.execute("UPDATE task_run SET state_id = s.id FROM task_run_state s WHERE s.task_run_id = task_run.id");
                c.commit();
                // What autovacuum would do by itself a while after such a load: without it the updates'
                // dead rows stay and no index-only scan is possible.
                c.setAutoCommit(true);
                s.execute("VACUUM ANALYZE");
            } else {
                s.execute("ANALYZE");
                c.commit();
            }
        }
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("X-Prefect-Ui", "true");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String body) {
        return body.replaceAll("\\s+", "");
    }
}
