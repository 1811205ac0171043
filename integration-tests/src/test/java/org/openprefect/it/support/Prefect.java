package org.openprefect.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code prefect} command (the ops-cli jar that {@code ./prefect} runs) in its own
 * JVM with a clean environment: its own HOME, PREFECT_HOME and working directory, nothing inherited
 * but PATH, so a developer's settings never leak into a test.
 */
public final class Prefect {
    private static final Path CLI_JAR = Path.of(System.getProperty("prefect.cli.jar", "../ops-cli/target/ops-cli.jar"));

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private List<String> launcher = List.of();
    private List<String> jvmOptions = List.of();

    public Prefect(Path tempDir) {
        try {
            this.workDir = Files.createDirectories(tempDir.resolve("work"));
            Files.createDirectories(tempDir.resolve("user-home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", tempDir.resolve("user-home").toString());
        env.put("PREFECT_HOME", tempDir.resolve("prefect-home").toString());
    }

    public Prefect env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** JVM options for the commands' JVM, as PREFECT_JAVA_OPTS gives them to ./prefect. */
    public Prefect jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Runs the commands as another user (tests run as root, for whom every file is writable). */
    public Prefect runningAs(int uid) {
        launcher = List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups");
        return this;
    }

    public Path home() {
        return Path.of(env.get("PREFECT_HOME"));
    }

    public Path workDir() {
        return workDir;
    }

    public Path profilesFile() {
        return home().resolve("profiles.toml");
    }

    /** Runs a command to completion (at most two minutes) and returns its exit code and output. */
    public CliResult run(String... args) {
        return run(Map.of(), args);
    }

    public CliResult run(Map<String, String> extraEnv, String... args) {
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            Process p = builder(extraEnv, args)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("prefect " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new CliResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a command without waiting, its output going to files in the work directory. */
    public Process start(Path stdout, Path stderr, String... args) {
        try {
            return builder(Map.of(), args).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder builder(Map<String, String> extraEnv, String... args) {
        if (!Files.isRegularFile(CLI_JAR)) {
            throw new IllegalStateException("The CLI jar " + CLI_JAR.toAbsolutePath() + " is missing: build ops-cli first (./mvnw verify does).");
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", CLI_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
