package org.openprefect.it.image;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Docker;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class cache the image trains in its volume (docs/container.md#start-up), with docker run:
 * the first start trains it in the background, the next start maps it (picocli's classes too), a
 * start removes what other images left, a cache the JVM cannot use is trained again, and
 * PREFECT_CLASS_ARCHIVE=off turns it off. Skips where no Docker engine runs.
 */
class ClassCacheTest {
    private final String volume = "openprefect-class-cache-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> containers = new ArrayList<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private String cache;

    @BeforeEach
    void image() {
        Path tarball = Built.require("image.tar");
        Docker.requireEngine();
        Docker.load(Built.serverImage(), tarball);
        assertEquals(0, Docker.cli(60, "volume", "create", volume).exitCode());
        String imageId = inVolume("cut -c1-16 /app/cds/image.id").strip();
        assertTrue(imageId.matches("[0-9a-f]{16}"), imageId);
        cache = "/data/.aot/server-" + imageId + ".aot";
    }

    @AfterEach
    void remove() {
        containers.forEach(c -> Docker.cli(60, "rm", "-f", c));
        Docker.cli(60, "volume", "rm", "-f", volume);
    }

    @Test
    void theFirstStartTrainsTheCacheTheNextStartMapsItAndStaleFilesGo() throws Exception {
        String first = start();
        awaitCache(first);
        String log = Docker.cli(30, "exec", first, "sh", "-c", "cat /data/.aot/server-*.training.log").output();
        assertTrue(log.contains("[class cache] trained") && log.contains("AOTCache creation is complete"), log);
        assertTrue(maps(first).contains("/app/cds/server.jsa"), "the first start maps the image's archive");
        stop(first);

        inVolume("touch /data/.aot/server-0123456789abcdef.aot " + cache + ".partial-7 && mkdir /data/.aot/leftover");
        String second = start();
        String maps = maps(second);
        assertTrue(maps.contains(cache), maps);
        assertFalse(maps.contains("/app/cds/server.jsa"), maps);
        Api api = new Api(api(second));
        RunLifecycle.complete(api);
        String files = Docker.cli(30, "exec", second, "ls", "-A", "/data/.aot").output();
        assertEquals(List.of(cache.substring("/data/.aot/".length()), cache.substring("/data/.aot/".length(), cache.length() - 4)
                + ".training.log"), List.of(files.strip().split("\n")), "what other images and killed trainings left is gone");
        stop(second);

        // picocli is compiled for Java 5; as published, no cache could hold its classes linked (build-config/LinkableClassFiles.java).
        String third = start("-e", "JAVA_OPTS=-Xlog:class+load:file=/tmp/classes.log");
        String loaded = Docker.cli(30, "exec", third, "grep", "-E", "^\\[.*\\] picocli\\.CommandLine ", "/tmp/classes.log").output();
        assertTrue(loaded.contains("picocli.CommandLine source: shared objects file"), loaded);
    }

    @Test
    void aCacheTheJvmCannotUseIsTrainedAgain() throws Exception {
        inVolume("mkdir -p /data/.aot && head -c 100000 /dev/urandom > " + cache);
        String first = start();
        assertEquals("true", Http.get(api(first) + "/health").body(), "the server starts without the damaged cache");
        assertTrue(Docker.cli(30, "logs", first).output().contains("could not be used"), () -> Docker.cli(30, "logs", first).output());
        awaitCache(first);
        stop(first);
        String second = start();
        assertTrue(maps(second).contains(cache), "the cache trained again is mapped");
    }

    @Test
    void classArchiveOffTrainsNothing() throws Exception {
        String server = start("-e", "PREFECT_CLASS_ARCHIVE=off");
        RunLifecycle.complete(new Api(api(server)));
        Thread.sleep(3000);
        String maps = maps(server);
        assertFalse(maps.contains("/app/cds/server.jsa") || maps.contains("/data/.aot"), maps);
        assertEquals("", Docker.cli(30, "exec", server, "sh", "-c", "ls -A /data/.aot 2>/dev/null || true").output().strip(),
                "no training wrote a cache");
    }

    private String start(String... options) throws Exception {
        int port = Prefect.freePort();
        String name = volume + "-" + containers.size();
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":4200",
                "-v", volume + ":/data"));
        args.addAll(List.of(options));
        args.add(Built.serverImage());
        Docker.Result run = Docker.cli(60, args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        containers.add(name);
        for (int i = 0; i < 600; i++) {
            try {
                if (Http.get("http://127.0.0.1:" + port + "/api/health").statusCode() == 200) {
                    ports.put(name, port);
                    return name;
                }
            } catch (UncheckedIOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy in 60 s: " + Docker.cli(30, "logs", name).output());
    }

    private String api(String container) {
        return "http://127.0.0.1:" + ports.get(container) + "/api";
    }

    private void awaitCache(String container) throws InterruptedException {
        for (int i = 0; i < 240; i++) {
            if (Docker.cli(30, "exec", container, "test", "-s", cache).exitCode() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no class cache 120 s after the start: "
                + Docker.cli(30, "exec", container, "sh", "-c", "ls -la /data/.aot; cat /data/.aot/*.log").output());
    }

    private String maps(String container) {
        return Docker.cli(30, "exec", container, "sh", "-c", "grep -o ' /[a-z].*' /proc/1/maps | sort -u").output();
    }

    private void stop(String container) {
        assertEquals(0, Docker.cli(60, "stop", container).exitCode());
    }

    /** A shell command in a throwaway container of the image on the volume. */
    private String inVolume(String script) {
        Docker.Result r = Docker.cli(60, "run", "--rm", "-v", volume + ":/data", "--entrypoint", "sh", Built.serverImage(), "-c", script);
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }
}
