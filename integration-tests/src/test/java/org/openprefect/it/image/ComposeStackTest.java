package org.openprefect.it.image;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Docker;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose/compose.yaml for real, from the locally built images: up until healthy, a flow run's
 * lifecycle, down and up with the data still in the prefectdb volume, and an upgrade through the
 * migrate service. Skips where no Docker engine runs.
 */
class ComposeStackTest {
    private static final String PREVIOUS_TAG = "openprefect/server:previous-for-tests";
    @TempDir
    Path temp;
    Path project;
    String name;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        Path serverTar = Built.require("image.tar");
        Path postgresTar = Built.require("postgres.image.tar");
        Docker.requireEngine();
        Docker.load(Built.serverImage(), serverTar);
        Docker.load(Built.POSTGRES_IMAGE, postgresTar);
        project = Files.createDirectories(temp.resolve("stack"));
        Path repo = Path.of(System.getProperty("prefect.repo.root", ".."));
        Files.copy(repo.resolve("compose/compose.yaml"), project.resolve("compose.yaml"));
        Files.copy(repo.resolve("compose/compose.sqlite.yaml"), project.resolve("compose.sqlite.yaml"));
        port = Prefect.freePort();
        // The .env an operator writes from .env.example, with the locally loaded tags.
        List<String> env = new ArrayList<>(Files.readAllLines(repo.resolve("compose/.env.example")));
        env.replaceAll(line -> line.startsWith("PREFECT_IMAGE=") ? "PREFECT_IMAGE=" + Built.serverImage()
                : line.startsWith("POSTGRES_IMAGE=") ? "POSTGRES_IMAGE=" + Built.POSTGRES_IMAGE
                : line.startsWith("POSTGRES_PASSWORD=") ? "POSTGRES_PASSWORD=compose-test-" + UUID.randomUUID()
                : line.startsWith("PREFECT_PORT=") ? "PREFECT_PORT=" + port : line);
        Files.write(project.resolve(".env"), env);
        name = "optest" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        if (name != null && project != null) {
            compose("down", "-v", "--remove-orphans");
        }
    }

    /** compose.yaml by default; the SQLite test switches to compose.sqlite.yaml. */
    private String file = "compose.yaml";

    private Docker.Result compose(String... args) {
        List<String> command = new ArrayList<>(Docker.compose());
        command.addAll(List.of("-f", file, "-p", name));
        command.addAll(List.of(args));
        return Docker.run(project, 600, command);
    }

    private void upAndHealthy() throws Exception {
        Docker.Result up = compose("up", "-d");
        assertEquals(0, up.exitCode(), up.output());
        String containerHealth = "";
        for (int i = 0; i < 120 && !containerHealth.equals("healthy"); i++) {
            Thread.sleep(1000);
            String id = compose("ps", "-q", "server").output().strip();
            containerHealth = id.isEmpty() ? "" : Docker.run(project, 30, "docker", "inspect", "-f", "{{.State.Health.Status}}", id).output().strip();
        }
        assertEquals("healthy", containerHealth, () -> compose("logs").output());
    }

    private String revision() {
        return compose("run", "--rm", "migrate", "server", "database", "current").output();
    }

    private void setImage(String tag) throws IOException {
        List<String> env = new ArrayList<>(Files.readAllLines(project.resolve(".env")));
        env.replaceAll(line -> line.startsWith("PREFECT_IMAGE=") ? "PREFECT_IMAGE=" + tag : line);
        Files.write(project.resolve(".env"), env);
    }

    @Test
    void stackServesRunsKeepsDataAcrossDownUpAndUpgradesThroughTheMigrateService() throws Exception {
        // The same build under a second tag stands for the release before: the tag switch is what is tested.
        Docker.Result tag = Docker.run(project, 30, "docker", "tag", Built.serverImage(), PREVIOUS_TAG);
        assertEquals(0, tag.exitCode(), tag.output());
        setImage(PREVIOUS_TAG);
        upAndHealthy();
        String base = "http://127.0.0.1:" + port;
        assertEquals("{\"message\":\"OK\"}", Http.get(base + "/api/ready").body());
        assertTrue(compose("ps").output().contains("Exit 0") || compose("ps", "-a").output().contains("Exited (0)"),
                () -> "the migrate service ran once and exited 0: " + compose("ps", "-a").output());
        Api api = new Api(base + "/api");
        String runId = RunLifecycle.complete(api);
        String classCache = awaitClassCache();

        Docker.Result down = compose("down");
        assertEquals(0, down.exitCode(), down.output());
        upAndHealthy();
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText(), "the run survived down/up in prefectdb");
        assertTrue(serverExec("grep", "-o", "/data/.aot/[^ ]*", "/proc/1/maps").contains(classCache),
                "the server started from the class cache its first start trained, kept in the prefectdata volume");

        // Upgrade as an operator does: the stack runs the previous tag (its older schema made by stepping one
        // revision back), the new image is loaded, .env names its tag, `up -d` runs the migrate service first.
        compose("stop", "server");
        Docker.Result back = compose("run", "--rm", "migrate", "server", "database", "downgrade", "-y");
        assertEquals(0, back.exitCode(), back.output());
        assertTrue(revision().contains("r0010"), this::revision);
        setImage(Built.serverImage());
        upAndHealthy();
        assertTrue(revision().contains("r0011"), this::revision);
        String serverId = compose("ps", "-q", "server").output().strip();
        assertEquals(Built.serverImage(), Docker.run(project, 30, "docker", "inspect", "-f", "{{.Config.Image}}", serverId).output().strip(),
                "the server was recreated from the new tag");
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText(), "the run survived the upgrade");
        RunLifecycle.complete(api);
    }

    /** The class cache the server trains in /data after an image's first start (docs/container.md), once written. */
    private String awaitClassCache() throws Exception {
        for (int i = 0; i < 120; i++) {
            for (String file : serverExec("ls", "/data/.aot").lines().toList()) {
                if (file.matches("server-[0-9a-f]+\\.aot")) {
                    return "/data/.aot/" + file;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no class cache in /data/.aot after 120 s: " + serverExec("sh", "-c", "cat /data/.aot/*.log"));
    }

    private String serverExec(String... command) {
        List<String> args = new ArrayList<>(List.of("docker", "exec", compose("ps", "-q", "server").output().strip()));
        args.addAll(List.of(command));
        return Docker.run(project, 30, args).output();
    }

    @Test
    void sqliteVariantKeepsItsDatabaseInItsVolume() throws Exception {
        file = "compose.sqlite.yaml";
        upAndHealthy();
        Api api = new Api("http://127.0.0.1:" + port + "/api");
        String runId = RunLifecycle.complete(api);
        assertEquals(0, compose("down").exitCode());
        upAndHealthy();
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText(), "the run survived down/up in prefectdata");
        // The server maps the image's class-data archive, or the class cache its first start may have trained
        // into the volume meanwhile (ClassCacheTest), and SQLite's unpacked library, which it does not unpack
        // into the volume.
        String mapped = compose("exec", "-T", "server", "sh", "-c", "grep -o ' /[a-z].*' /proc/1/maps | sort -u; ls -A /data").output();
        assertTrue(mapped.contains("/app/cds/server.jsa") || mapped.contains("/data/.aot/server-"), mapped);
        assertTrue(mapped.contains("/app/sqlite-native/x86_64/libsqlitejdbc.so"), mapped);
        assertFalse(mapped.contains(".native"), mapped);
        Docker.Result backup = compose("exec", "-T", "server", "prefect", "server", "database", "backup");
        assertEquals(0, backup.exitCode(), backup.output());
        assertTrue(backup.output().contains("/data/backups/"), backup.output());
    }
}
