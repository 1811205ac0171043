package org.openprefect.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A {@code prefect server start} process in the foreground of its own JVM, on a free port. */
public final class RunningServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;

    private RunningServer(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static RunningServer start(Prefect prefect, String... extraArgs) throws IOException, InterruptedException {
        int port = Prefect.freePort();
        Path out = Files.createTempFile(prefect.workDir(), "server-out", ".txt");
        Path err = Files.createTempFile(prefect.workDir(), "server-err", ".txt");
        String[] args = new String[3 + extraArgs.length];
        args[0] = "server";
        args[1] = "start";
        args[2] = "--port=" + port;
        System.arraycopy(extraArgs, 0, args, 3, extraArgs.length);
        Process p = prefect.start(out, err, args);
        RunningServer server = new RunningServer(p, port, out, err);
        if (!Http.awaitOk(server.api("/health"), Duration.ofSeconds(60), p)) {
            p.destroyForcibly();
            throw new AssertionError("server did not come up:\n" + server.stdout() + "\n" + server.stderr());
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String api(String path) {
        return base() + "/api" + path;
    }

    public Process process() {
        return process;
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Sends SIGTERM and returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
