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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose/compose.yaml for real, from the locally built images: up until healthy, a flow run's
 * lifecycle, down and up with the data still in the prefectdb volume, and an upgrade through the
 * migrate service. Skips where no Docker engine runs.
 */
class ComposeStackTest {
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

    private Docker.Result compose(String... args) {
        List<String> command = new ArrayList<>(Docker.compose());
        command.addAll(List.of("-p", name));
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

    @Test
    void stackServesRunsKeepsDataAcrossDownUpAndUpgradesThroughTheMigrateService() throws Exception {
        upAndHealthy();
        String base = "http://127.0.0.1:" + port;
        assertEquals("{\"message\":\"OK\"}", Http.get(base + "/api/ready").body());
        assertTrue(compose("ps").output().contains("Exit 0") || compose("ps", "-a").output().contains("Exited (0)"),
                () -> "the migrate service ran once and exited 0: " + compose("ps", "-a").output());
        Api api = new Api(base + "/api");
        String runId = RunLifecycle.complete(api);

        Docker.Result down = compose("down");
        assertEquals(0, down.exitCode(), down.output());
        upAndHealthy();
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText(), "the run survived down/up in prefectdb");

        // An older schema, as a previous release left it: one revision back, then `up` must migrate before serving.
        compose("stop", "server");
        Docker.Result back = compose("run", "--rm", "migrate", "server", "database", "downgrade", "-y");
        assertEquals(0, back.exitCode(), back.output());
        assertTrue(revision().contains("r0004"), this::revision);
        upAndHealthy();
        assertTrue(revision().contains("r0005"), this::revision);
        assertEquals("COMPLETED", api.get("/flow_runs/" + runId, 200).get("state_type").asText(), "the run survived the upgrade");
        RunLifecycle.complete(api);
    }
}
