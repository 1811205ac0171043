package org.openprefect.it.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker and compose command-line tools, run as processes; tests skip where no engine answers. */
public final class Docker {
    private Docker() {
    }

    public record Result(int exitCode, String output) {
    }

    public static boolean available() {
        try {
            return cli(20, "info").exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static void requireEngine() {
        Assumptions.assumeTrue(available(), "No Docker engine answers `docker info`: Docker tests skip. "
                + "Install and start one (apt-get install -y docker.io docker-compose; dockerd &), as .ci/run does.");
    }

    /** Loads an image tarball, always: a tag left by an earlier build may name an older image. */
    public static void load(String tag, Path tarball) {
        Result loaded = run(Path.of("."), 300, "docker", "load", "-i", tarball.toString());
        if (loaded.exitCode() != 0 || !loaded.output().contains(tag)) {
            throw new AssertionError("docker load -i " + tarball + " did not load " + tag + ": " + loaded.output());
        }
    }

    /** `docker compose` (v2) where it exists, else `docker-compose` (1.29). */
    public static List<String> compose() {
        if (run(Path.of("."), 30, "docker", "compose", "version").exitCode() == 0) {
            return List.of("docker", "compose");
        }
        return List.of("docker-compose");
    }

    /** {@code docker ARGS}, run from the current folder. */
    public static Result cli(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(Path.of("."), timeoutSeconds, command);
    }

    public static Result run(Path dir, int timeoutSeconds, String... command) {
        return run(dir, timeoutSeconds, List.of(command));
    }

    public static Result run(Path dir, int timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("docker", ".out");
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out after " + timeoutSeconds + " s\n" + Files.readString(out));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
