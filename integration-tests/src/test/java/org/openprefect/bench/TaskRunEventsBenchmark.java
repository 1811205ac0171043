package org.openprefect.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openprefect.it.runs.TaskRunEvents;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Task-run events at scale (issue 19): what the real client sends for every task it runs, three
 * events over {@code /api/events/in} (Pending, Running, Completed, each following the previous one,
 * shaped as in {@code client-trace.txt}, built by the tests' {@code TaskRunEvents}), from several connections at once as several
 * flows mapping tasks would. Prints the events per second the server took in (from the first
 * send until every task run reads Completed over REST), the delay from sending a task run's
 * Completed event until REST shows it (sampled), the server's CPU time an event in µs (all its
 * threads, and without the JIT compiler's), the benchmark's own, and checks each task run was
 * recorded exactly once with its three states in order, the time the server's collector stopped it
 * (its {@code -Xlog:gc} file: every thread, the single SQLite writer too, waits out each pause), and
 * the server's resident memory after the rounds and after 100 s idle. Twice on the same server,
 * each round under its own flow run:
 * "cold" is a server just started (its JIT compiler busy for most of the round), "warm" the same
 * server running on, as a server that has been up a while.
 *
 * <p>Each connection's events are encoded as websocket frames before the clock starts, so that what
 * the benchmark's own JVM takes of the two shared cores while it measures (its "bench" column) is
 * the writing alone and the REST polls; docs/performance.md has the figures.
 *
 * <p>Task-run and event ids are time-ordered (v7) as the real client makes them; {@code v4} sends
 * random ones instead, as a client that made them so would (every index on them then takes each
 * row at a random place).
 *
 * <p>Not a test: {@code integration-tests/bench.sh events [task runs, default 20000] [connections, default 4] [databases] [v7|v4]}.
 */
public final class TaskRunEventsBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SAMPLE_EVERY = 1000;
    /** How often the readers poll REST: often enough to time the delay, rarely enough not to load the server being measured. */
    private static final long POLL_MILLIS = 20;
    /**
     * Long enough for the server's heap-release loop (every 30 s) to find it idle after the rounds,
     * once the run rollup has folded the rounds' task runs (a collection or two after them).
     */
    private static final long IDLE_SECONDS = 100;

    private TaskRunEventsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int taskRuns = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> databases = Arrays.asList((args.length > 2 ? args[2] : "sqlite,postgresql").split(","));
        Supplier<UUID> ids = args.length > 3 && args[3].equals("v4") ? UUID::randomUUID : TaskRunEvents::uuid7;
        System.out.printf("%-10s %-5s %6s %9s %10s %9s %12s %12s %12s %9s %9s %9s %15s %s%n", "database", "round", "conns", "events", "send s",
                "events/s", "delay p50 ms", "delay p95 ms", "delay max ms", "server", "w/o JIT", "bench", "GC pauses ms", "recorded");
        List<String> memory = new ArrayList<>();
        for (String db : databases) {
            // As ./prefect starts it (its JVM options and malloc arenas), plus BENCH_SERVER_JVM_OPTS for profiling.
            List<String> jvmOptions = new ArrayList<>(LifecycleBenchmark.launcherJvmOptions());
            jvmOptions.addAll(LifecycleBenchmark.extraJvmOptions());
            Path gcDir = Files.createTempDirectory("openprefect-events-bench-gc-");
            Path gcLog = gcDir.resolve("gc.log");
            jvmOptions.add("-Xlog:gc:file=" + gcLog + "::filecount=0");
            Prefect prefect = LifecycleBenchmark.asTheLauncherRunsIt("openprefect-events-bench-", jvmOptions);
            try (TestDatabase database = TestDatabase.create(db, prefect); RunningServer server = RunningServer.start(prefect)) {
                HttpClient http = HttpClient.newHttpClient();
                long idleRss = LifecycleBenchmark.rssMegabytes(server.process().pid());
                String flowId = JSON.readTree(post(http, server.api("/flows/"), "{\"name\":\"events-bench\"}")).get("id").asText();
                run(server, http, ids, flowId, taskRuns, connections, db, database, gcLog, "cold");
                run(server, http, ids, flowId, taskRuns, connections, db, database, gcLog, "warm");
                long afterRss = LifecycleBenchmark.rssMegabytes(server.process().pid());
                Thread.sleep(IDLE_SECONDS * 1000);
                memory.add(String.format("%-10s RSS %d MB after start, %d MB after the rounds, %d MB after %d s idle", db, idleRss, afterRss,
                        LifecycleBenchmark.rssMegabytes(server.process().pid()), IDLE_SECONDS));
                server.stderr().lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE")).limit(10).forEach(System.out::println);
            } finally {
                Files.deleteIfExists(gcLog);
                Files.deleteIfExists(gcDir);
            }
        }
        System.out.println("\nServer memory (its heap-release loop runs a full collection once the server is idle after its heap grew)");
        memory.forEach(System.out::println);
    }

    private static void run(RunningServer server, HttpClient http, Supplier<UUID> ids, String flowId, int taskRuns, int connections, String db,
                            TestDatabase database, Path gcLog, String round) throws Exception {
        String flowRunId = JSON.readTree(post(http, server.api("/flow_runs/"), "{\"flow_id\":\"" + flowId
                + "\",\"name\":\"events-bench\",\"state\":{\"type\":\"RUNNING\"}}")).get("id").asText();
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
        List<List<TaskRunMessages>> perConnection = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            perConnection.add(messages(ids, flowId, flowRunId, c * taskRuns / connections, (c + 1) * taskRuns / connections));
        }
        long pid = server.process().pid();
        long[] serverCpuBefore = LifecycleBenchmark.cpuMillis(pid);
        long benchCpuBefore = ownCpuMillis();
        GcPauses gcBefore = GcPauses.read(gcLog);
        long started = System.nanoTime();
        List<Future<?>> senders = new ArrayList<>();
        for (List<TaskRunMessages> messages : perConnection) {
            senders.add(pool.submit(() -> send(server, http, messages, delays, pollers)));
        }
        for (Future<?> f : senders) {
            f.get();
        }
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        String countBody = "{\"flow_runs\":{\"id\":{\"any_\":[\"" + flowRunId + "\"]}},\"task_runs\":{\"state\":{\"type\":{\"any_\":[\"COMPLETED\"]}}}}";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (Long.parseLong(post(http, server.api("/task_runs/count"), countBody)) < taskRuns && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        double allSeconds = (System.nanoTime() - started) / 1e9;
        long[] serverCpu = LifecycleBenchmark.cpuMillis(pid);
        long benchCpu = ownCpuMillis() - benchCpuBefore;
        GcPauses gc = GcPauses.read(gcLog).since(gcBefore);
        pool.shutdown();
        pollers.shutdown();
        pollers.awaitTermination(1, TimeUnit.MINUTES);
        List<Long> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        double events = taskRuns * 3.0;
        System.out.printf("%-10s %-5s %6d %9d %10.2f %9.0f %12.1f %12.1f %12.1f %9.1f %9.1f %9.1f %15s %s%n", db, round, connections, taskRuns * 3,
                sendSeconds, events / allSeconds, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 1.0),
                (serverCpu[0] - serverCpuBefore[0]) * 1000 / events, (serverCpu[1] - serverCpuBefore[1]) * 1000 / events,
                benchCpu * 1000 / events, String.format("%.0f in %d", gc.millis(), gc.count()), recordedExactlyOnceInOrder(database, flowRunId, taskRuns));
    }

    /**
     * The collector's pauses so far, from a {@code -Xlog:gc} file, whose lines end in a pause's
     * length: {@code [9.114s][info][gc] GC(99) Pause Young (Allocation Failure) 214M->199M(378M) 7.653ms}.
     */
    private record GcPauses(int count, double millis) {
        static GcPauses read(Path log) throws IOException {
            int count = 0;
            double millis = 0;
            for (String line : Files.readAllLines(log)) {
                if (line.contains(" Pause ") && line.endsWith("ms")) {
                    count++;
                    millis += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1, line.length() - 2));
                }
            }
            return new GcPauses(count, millis);
        }

        GcPauses since(GcPauses before) {
            return new GcPauses(count - before.count, millis - before.millis);
        }
    }

    /** A task run's id and its Pending, Running and Completed events, as the three masked text frames that carry them. */
    private record TaskRunMessages(String taskRunId, byte[] frames) {
    }

    /** The events of task runs {@code first} to {@code last} (exclusive), each state a microsecond after the one before. */
    private static List<TaskRunMessages> messages(Supplier<UUID> ids, String flowId, String flowRunId, int first, int last) {
        List<TaskRunMessages> messages = new ArrayList<>(last - first);
        Instant at = Instant.now();
        for (int i = first; i < last; i++) {
            TaskRunEvents task = new TaskRunEvents(ids, UUID.fromString(flowRunId), UUID.fromString(flowId), "bench-task-" + i, "bench_task-1", 0);
            ByteArrayOutputStream frames = new ByteArrayOutputStream(4096);
            for (String[] state : new String[][] {{"PENDING", "Pending", "0"}, {"RUNNING", "Running", "1"}, {"COMPLETED", "Completed", "1"}}) {
                byte[] event = task.state(state[0], state[1], at, Integer.parseInt(state[2]), null).getBytes(StandardCharsets.UTF_8);
                byte[] mask = new byte[4];
                ThreadLocalRandom.current().nextBytes(mask);
                frames.writeBytes(RawWebSocket.encode(RawWebSocket.TEXT, event, true, mask));
                at = at.plusNanos(1000);
            }
            messages.add(new TaskRunMessages(task.id().toString(), frames.toByteArray()));
        }
        return messages;
    }

    /**
     * One connection's task runs: three events each, written as fast as the socket takes them. The
     * frames are on the wire as any client's are (masked, after an upgrade, a ping first as the
     * Python client does, a closing handshake at the end, the server's keepalive pings answered),
     * but encoded before the clock starts and written a task run at a time on a bare socket, so the
     * benchmark's share of the two cores it shares with the server is small (docs/performance.md,
     * tenth pass).
     */
    private static Void send(RunningServer server, HttpClient http, List<TaskRunMessages> taskRuns, List<Long> delays,
                             ExecutorService pollers) throws Exception {
        try (RawWebSocket socket = new RawWebSocket(server.base().replace("http", "ws") + "/api/events/in")) {
            if (socket.status() != 101) {
                throw new IllegalStateException("/api/events/in answered the upgrade with " + socket.status());
            }
            socket.setReadTimeoutMillis(0);
            CompletableFuture<Void> pong = new CompletableFuture<>();
            CompletableFuture<RawWebSocket.Frame> closed = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> answerPings(socket, pong, closed));
            socket.sendPing(new byte[] {1, 2, 3, 4});
            pong.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < taskRuns.size(); i++) {
                socket.sendEncoded(taskRuns.get(i).frames());
                if (i % SAMPLE_EVERY == 0) {
                    long completedSentAt = System.nanoTime();
                    String url = server.api("/task_runs/" + taskRuns.get(i).taskRunId());
                    pollers.submit(() -> {
                        delays.add(untilCompleted(http, url, completedSentAt));
                        return null;
                    });
                }
            }
            socket.sendClose(1000);
            RawWebSocket.Frame close = closed.get(60, TimeUnit.SECONDS);
            if (close == null || close.closeCode() != 1000) {
                throw new IllegalStateException("the server ended the connection with " + (close == null ? "no close frame" : close.closeCode()));
            }
        }
        return null;
    }

    /** The connection's reader: answers the server's pings, completes {@code pong} at the first pong, {@code closed} with the close frame (null if none). */
    private static void answerPings(RawWebSocket socket, CompletableFuture<Void> pong, CompletableFuture<RawWebSocket.Frame> closed) {
        try {
            for (RawWebSocket.Frame f = socket.read(); f != null; f = socket.read()) {
                switch (f.opcode()) {
                    case RawWebSocket.PING -> socket.send(RawWebSocket.PONG, f.payload());
                    case RawWebSocket.PONG -> pong.complete(null);
                    case RawWebSocket.CLOSE -> {
                        closed.complete(f);
                        return;
                    }
                    default -> {
                    }
                }
            }
            closed.complete(null);
        } catch (IOException e) {
            pong.completeExceptionally(e);
            closed.completeExceptionally(e);
        }
    }

    /** This JVM's CPU time (every thread, user and system) in ms. */
    private static long ownCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
    }

    private static long untilCompleted(HttpClient http, String url, long sentAt) throws Exception {
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("state_type").asText().equals("COMPLETED")) {
                return (System.nanoTime() - sentAt) / 1_000;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** "yes" when every task run of the flow run is there once, with exactly Pending, Running, Completed in that order; else what is wrong. */
    private static String recordedExactlyOnceInOrder(TestDatabase database, String flowRunId, int taskRuns) throws Exception {
        try (Connection c = database.connect()) {
            long runs = Long.parseLong(Sql.scalar(c, "SELECT count(*) FROM task_run WHERE flow_run_id = '" + flowRunId + "'"));
            long wrong = Long.parseLong(Sql.scalar(c, "SELECT count(*) FROM task_run t WHERE t.flow_run_id = '" + flowRunId + "' AND "
                    + "(SELECT count(*) FROM task_run_state s WHERE s.task_run_id = t.id) <> 3"));
            String unfinished = Sql.scalar(c, "SELECT count(*) FROM task_run t WHERE t.flow_run_id = '" + flowRunId + "' AND t.state_type <> 'COMPLETED'");
            String outOfOrder = Sql.scalar(c, "SELECT count(*) FROM task_run t JOIN task_run_state a ON a.task_run_id = t.id "
                    + "JOIN task_run_state b ON b.task_run_id = t.id WHERE t.flow_run_id = '" + flowRunId + "' AND a.timestamp >= b.timestamp "
                    + "AND ((a.type = 'PENDING' AND b.type = 'RUNNING') OR (a.type = 'RUNNING' AND b.type = 'COMPLETED'))");
            if (runs == taskRuns && wrong == 0 && unfinished.equals("0") && outOfOrder.equals("0")) {
                return "yes (" + runs + " task runs, Pending, Running, Completed each)";
            }
            return "NO: " + runs + " task runs, " + wrong + " without exactly 3 states, " + unfinished + " not Completed, "
                    + outOfOrder + " states out of order";
        }
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double percentile(List<Long> sortedMicros, double p) {
        if (sortedMicros.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedMicros.size() - 1, Math.max(0, Math.ceil(p * sortedMicros.size()) - 1));
        return sortedMicros.get(index) / 1000.0;
    }
}
