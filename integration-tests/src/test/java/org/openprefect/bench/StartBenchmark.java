package org.openprefect.bench;

import org.openprefect.it.support.Docker;
import org.openprefect.it.support.Prefect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start to healthy (issue 19): the milliseconds from running {@code ./prefect server start} (the
 * launcher an operator runs, with its AOT cache) to the first 200 of {@code /api/health}, on a fresh
 * SQLite database and on the same database again; then the same for the image with {@code docker run}
 * when a Docker engine runs and the image is loaded: a new volume; the same volume again, before the
 * class cache the image trains there exists (the start maps the class-data archive the image ships),
 * kept running until its training has written the cache; the same volume with the cache.
 *
 * <p>Not a test: {@code integration-tests/bench.sh start [rounds, default 5]}.
 */
public final class StartBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    private static final Path REPO = Path.of(System.getProperty("prefect.repo.root", ".")).toAbsolutePath();

    private StartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // One start and stop first: after a build, it is the one that writes ./prefect's AOT cache.
        launcherStart(Files.createTempDirectory("openprefect-start-"));
        List<Long> fresh = new ArrayList<>();
        List<Long> existing = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Path home = Files.createTempDirectory("openprefect-start-");
            fresh.add(launcherStart(home));
            existing.add(launcherStart(home));
        }
        System.out.println("./prefect server start to healthy, ms (SQLite, " + rounds + " rounds)");
        System.out.println("  fresh database:    " + fresh);
        System.out.println("  existing database: " + existing);
        String image = System.getenv().getOrDefault("BENCH_IMAGE", "openprefect/server:0.1.0-SNAPSHOT");
        if (Docker.cli(30, "image", "inspect", image).exitCode() != 0) {
            System.out.println("The image " + image + " is not loaded in a running Docker engine: image starts not measured.");
            return;
        }
        List<Long> first = new ArrayList<>();
        List<Long> again = new ArrayList<>();
        List<Long> training = new ArrayList<>();
        List<Long> cached = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String volume = "openprefect-start-bench-" + ProcessHandle.current().pid() + "-" + i;
            try {
                first.add(imageStart(image, volume, null));
                again.add(imageStart(image, volume, training));
                cached.add(imageStart(image, volume, null));
            } finally {
                Docker.cli(60, "volume", "rm", "-f", volume);
            }
        }
        System.out.println("docker run " + image + " to healthy, ms (SQLite in a volume, " + rounds + " rounds)");
        System.out.println("  fresh volume:                      " + first);
        System.out.println("  existing database, no class cache: " + again);
        System.out.println("  existing database, class cache:    " + cached);
        System.out.println("  the class cache written, ms after healthy: " + training);
    }

    /** Starts ./prefect server start on PREFECT_HOME {@code home}, returns the ms until healthy, then stops it (SIGTERM). */
    private static long launcherStart(Path home) throws Exception {
        int port = Prefect.freePort();
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("prefect").toString(), "server", "start", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile());
        pb.environment().put("PREFECT_HOME", home.toString());
        long started = System.nanoTime();
        Process server = pb.start();
        try {
            return awaitHealthy(port, started, server);
        } finally {
            stop(server);
        }
    }

    /** With {@code trainingMs}, the container runs on until its class cache is in the volume, and how long that took is added. */
    private static long imageStart(String image, String volume, List<Long> trainingMs) throws Exception {
        int port = Prefect.freePort();
        String name = "openprefect-start-bench-" + port;
        long started = System.nanoTime();
        if (Docker.cli(60, "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":4200", "-v", volume + ":/data", image).exitCode() != 0) {
            throw new IllegalStateException("docker run " + image + " failed");
        }
        try {
            long healthy = awaitHealthy(port, started, null);
            if (trainingMs != null) {
                long from = System.nanoTime();
                while (Docker.cli(10, "exec", name, "sh", "-c", "ls /data/.aot/server-*.aot").exitCode() != 0) {
                    if (System.nanoTime() - from > TimeUnit.SECONDS.toNanos(120)) {
                        throw new IllegalStateException("no class cache in the volume 120 s after the start");
                    }
                    Thread.sleep(250);
                }
                trainingMs.add((System.nanoTime() - from) / 1_000_000);
            }
            return healthy;
        } finally {
            Docker.cli(60, "stop", name);
            Docker.cli(60, "rm", "-f", name);
        }
    }

    private static long awaitHealthy(int port, long started, Process server) throws Exception {
        URI health = URI.create("http://127.0.0.1:" + port + "/api/health");
        long deadline = started + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            if (server != null && !server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not healthy within 60 s");
    }

    /** SIGTERM (./prefect execs the JVM), and time for the JVM to write an AOT cache it was asked for. */
    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
