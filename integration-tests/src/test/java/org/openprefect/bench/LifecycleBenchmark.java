package org.openprefect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run-lifecycle benchmark of issue 4: create a flow run, PENDING -> RUNNING -> COMPLETED with
 * set_state, post 5 logs, read it back with /flow_runs/filter; at concurrency 1, 4 and 8, on SQLite
 * and PostgreSQL, against a real server process started as ./prefect starts it (JVM options, AOT
 * cache). Prints requests/s, lifecycles/s, p50/p99 latency, errors and the server's CPU per request
 * (issue 19), for a fresh server's first requests too, and its resident memory. Not a test: run it
 * with integration-tests/bench.sh.
 *
 * <p>Arguments: [seconds per level, default 10] [databases: sqlite,postgresql].
 */
public final class LifecycleBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] CONCURRENCY = {1, 4, 8};

    private LifecycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> databases = Arrays.asList((args.length > 1 ? args[1] : "sqlite,postgresql").split(","));
        System.out.printf("%-19s %4s %10s %12s %9s %9s %7s %11s %11s%n", "database", "conc", "requests/s", "lifecycles/s", "p50 ms", "p99 ms",
                "errors", "CPU ms/req", "w/o JIT");
        String external = System.getenv("BENCH_API_URL");
        if (external != null) {
            // Against a server started by hand (for profiling it): one pass, labelled "external"; its CPU when BENCH_SERVER_PID names it.
            long pid = Long.parseLong(System.getenv().getOrDefault("BENCH_SERVER_PID", "-1"));
            String flowId = JSON.readTree(post(HttpClient.newHttpClient(), external + "/flows/", "{\"name\":\"bench\"}").body()).get("id").asText();
            // Right after its start (the image's, say), these are the server's cold rows too.
            runLifecycles(external, flowId, 20, "external 1st 100", pid);
            runLifecycles(external, flowId, 100, "external next 500", pid);
            runLevel(external, flowId, 1, Math.min(3, seconds), null, pid);
            for (int c : CONCURRENCY) {
                runLevel(external, flowId, c, seconds, "external", pid);
            }
            return;
        }
        List<String> memory = new ArrayList<>();
        List<String> jvmOptions = withAotCache(launcherJvmOptions());
        jvmOptions.addAll(extraJvmOptions());
        for (String db : databases) {
            Prefect prefect = asTheLauncherRunsIt("openprefect-bench-", jvmOptions);
            try (TestDatabase database = TestDatabase.create(db, prefect); RunningServer server = RunningServer.start(prefect)) {
                String api = server.api("");
                Thread.sleep(5000);
                long pid = server.process().pid();
                long idleRss = rssMegabytes(pid);
                String flowId = JSON.readTree(post(HttpClient.newHttpClient(), api + "/flows/", "{\"name\":\"bench\"}").body()).get("id").asText();
                // A fresh server's first 100 requests (20 lifecycles, one client) and the next 500: what an operator feels after a restart.
                runLifecycles(api, flowId, 20, db + " 1st 100", pid);
                runLifecycles(api, flowId, 100, db + " next 500", pid);
                runLevel(api, flowId, 1, Math.min(3, seconds), null, pid); // warm-up
                for (int c : CONCURRENCY) {
                    runLevel(api, flowId, c, seconds, db, pid);
                }
                memory.add(String.format("%-10s RSS %d MB idle after start, %d MB after the load", db, idleRss,
                        rssMegabytes(pid)));
            }
        }
        System.out.println("\nServer memory (JVM options as ./prefect gives them: " + String.join(" ", jvmOptions) + ")");
        memory.forEach(System.out::println);
    }

    /**
     * The options plus an AOT cache, made as {@code ./prefect} makes its own on JDK 25+: a first
     * server (SQLite) runs 200 lifecycles with {@code -XX:AOTCacheOutput}, and writes the cache of the
     * classes it loaded and the methods' profiles when it stops; the measured servers start from it.
     * Unchanged on an older JDK (./prefect's class-data archive there only loads classes faster).
     */
    static List<String> withAotCache(List<String> jvmOptions) throws Exception {
        if (Runtime.version().feature() < 25) {
            return new ArrayList<>(jvmOptions);
        }
        Path cache = Files.createTempDirectory("openprefect-bench-aot-").resolve("server-start.aot");
        List<String> training = new ArrayList<>(jvmOptions);
        training.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
        Prefect prefect = asTheLauncherRunsIt("openprefect-bench-", training);
        try (TestDatabase database = TestDatabase.create("sqlite", prefect); RunningServer server = RunningServer.start(prefect)) {
            String api = server.api("");
            String flowId = JSON.readTree(post(HttpClient.newHttpClient(), api + "/flows/", "{\"name\":\"bench\"}").body()).get("id").asText();
            runLifecycles(api, flowId, 200, null, -1);
        }
        if (!Files.isRegularFile(cache)) {
            System.out.println("(no AOT cache was written; measuring without one)");
            return new ArrayList<>(jvmOptions);
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"));
        return options;
    }

    /** A server home in a new temporary folder, its server started as ./prefect starts it: these JVM options and its malloc arenas. */
    static Prefect asTheLauncherRunsIt(String folderPrefix, List<String> jvmOptions) throws IOException {
        return new Prefect(Files.createTempDirectory(folderPrefix)).jvmOptions(jvmOptions).env("MALLOC_ARENA_MAX", "2");
    }

    /** BENCH_SERVER_JVM_OPTS, for profiling the server: e.g. {@code -XX:StartFlightRecording=filename=/tmp/server.jfr,settings=profile}. */
    static List<String> extraJvmOptions() {
        String extra = System.getenv("BENCH_SERVER_JVM_OPTS");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    /**
     * The heap and GC options ./prefect starts the server with (ops-cli/src/main/jvm/jvm.options), so the figures are an operator's;
     * as in ./prefect, a collector chosen in BENCH_SERVER_JVM_OPTS replaces the serial one.
     */
    static List<String> launcherJvmOptions() throws Exception {
        boolean otherCollector = extraJvmOptions().stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"));
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("ops-cli/src/main/jvm/jvm.options"))) {
            String option = line.replaceAll("#.*", "").strip();
            if (!option.isEmpty() && !(otherCollector && option.equals("-XX:+UseSerialGC"))) {
                options.add(option);
            }
        }
        return options;
    }

    static long rssMegabytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static void runLevel(String api, String flowId, int concurrency, int seconds, String label, long pid) throws Exception {
        run(api, flowId, concurrency, System.nanoTime() + Duration.ofSeconds(seconds).toNanos(), Long.MAX_VALUE, label, pid);
    }

    private static void runLifecycles(String api, String flowId, long count, String label, long pid) throws Exception {
        run(api, flowId, 1, Long.MAX_VALUE, count, label, pid);
    }

    /** Runs lifecycles from {@code concurrency} clients until the deadline (nanoTime) or {@code maxLifecycles}; prints a row unless label is null. */
    private static void run(String api, String flowId, int concurrency, long deadline, long maxLifecycles, String label, long pid)
            throws Exception {
        AtomicLong errors = new AtomicLong();
        AtomicLong lifecycles = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<long[]>> workers = new ArrayList<>();
        long[] cpuBefore = cpuMillis(pid);
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> worker(api, flowId, deadline, maxLifecycles, errors, lifecycles)));
        }
        List<Long> latencies = new ArrayList<>();
        for (Future<long[]> f : workers) {
            for (long l : f.get()) {
                latencies.add(l);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] cpuAfter = cpuMillis(pid);
        pool.shutdown();
        if (label == null) {
            return;
        }
        latencies.sort(Long::compare);
        System.out.printf("%-19s %4d %10.0f %12.1f %9.2f %9.2f %7d %11s %11s%n", label, concurrency, latencies.size() / elapsed,
                lifecycles.get() / elapsed, percentile(latencies, 0.50), percentile(latencies, 0.99), errors.get(),
                pid < 0 ? "" : String.format("%.3f", (double) (cpuAfter[0] - cpuBefore[0]) / latencies.size()),
                pid < 0 ? "" : String.format("%.3f", (double) (cpuAfter[1] - cpuBefore[1]) / latencies.size()));
    }

    /**
     * The server process's CPU time in ms (user and system, every thread), and the same without the
     * JIT compiler's threads (what the requests themselves cost while the JIT is still compiling);
     * zeros without a pid. From proc(5): utime and stime, in ticks of 10 ms (USER_HZ is 100 on Linux).
     */
    static long[] cpuMillis(long pid) throws Exception {
        long all = 0;
        long compilers = 0;
        if (pid < 0) {
            return new long[] {0, 0};
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ms = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
                all += ms;
                if (stat.contains("CompilerThre")) {
                    compilers += ms;
                }
            }
        }
        return new long[] {all, all - compilers};
    }

    private static long[] worker(String api, String flowId, long deadline, long maxLifecycles, AtomicLong errors, AtomicLong lifecycles) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latencies = new ArrayList<>();
        while (System.nanoTime() < deadline && lifecycles.get() < maxLifecycles) {
            try {
                JsonNode run = JSON.readTree(timed(http, api + "/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"PENDING\"}}",
                        201, latencies, errors));
                String id = run.get("id").asText();
                timed(http, api + "/flow_runs/" + id + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201, latencies, errors);
                timed(http, api + "/flow_runs/" + id + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201, latencies, errors);
                StringBuilder logs = new StringBuilder("[");
                for (int i = 0; i < 5; i++) {
                    logs.append(i == 0 ? "" : ",").append("{\"name\":\"bench\",\"level\":20,\"message\":\"line ").append(i)
                            .append("\",\"timestamp\":\"").append(Instant.now()).append("\",\"flow_run_id\":\"").append(id).append("\"}");
                }
                timed(http, api + "/logs/", logs.append("]").toString(), 201, latencies, errors);
                timed(http, api + "/flow_runs/filter", "{\"flow_runs\":{\"id\":{\"any_\":[\"" + id + "\"]}}}", 200, latencies, errors);
                lifecycles.incrementAndGet();
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    private static String timed(HttpClient http, String url, String body, int expected, List<Long> latencies, AtomicLong errors)
            throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = post(http, url, body);
        latencies.add(System.nanoTime() - t0);
        if (r.statusCode() != expected) {
            errors.incrementAndGet();
            throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url + ": " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }
}
