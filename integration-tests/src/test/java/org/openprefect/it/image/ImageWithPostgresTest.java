package org.openprefect.it.image;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Docker;
import org.openprefect.it.support.Http;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server image against PostgreSQL, both from local images, with Testcontainers: a read-only
 * root filesystem, migrations with pg_trgm, the run lifecycle, and the doctor run inside.
 */
class ImageWithPostgresTest {
    /** Local images only: nothing can be pulled here. */
    private static final ImagePullPolicy NEVER_PULL = imageName -> false;

    /** Per test, not per class: a skipped class would show as no test at all. */
    @BeforeEach
    void images() {
        Built.require("image.tar");
        Built.require("postgres.image.tar");
        Docker.requireEngine();
        Docker.load(Built.serverImage(), Built.require("image.tar"));
        Docker.load(Built.POSTGRES_IMAGE, Built.require("postgres.image.tar"));
    }

    @Test
    void serverOnAReadOnlyRootMigratesPostgresAndServesRuns() throws Exception {
        try (Network network = Network.newNetwork();
             GenericContainer<?> db = new GenericContainer<>(DockerImageName.parse(Built.POSTGRES_IMAGE))
                     .withImagePullPolicy(NEVER_PULL).withNetwork(network).withNetworkAliases("db")
                     .withEnv("POSTGRES_USER", "prefect").withEnv("POSTGRES_PASSWORD", "tc-secret").withEnv("POSTGRES_DB", "prefect")
                     .waitingFor(Wait.forLogMessage(".*ready to accept connections.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
             GenericContainer<?> server = new GenericContainer<>(DockerImageName.parse(Built.serverImage()))
                     .withImagePullPolicy(NEVER_PULL).withNetwork(network).dependsOn(db)
                     .withEnv("PREFECT_SERVER_DATABASE_CONNECTION_URL", "postgresql+asyncpg://prefect:tc-secret@db:5432/prefect")
                     .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
                     .withExposedPorts(4200)
                     .waitingFor(Wait.forHttp("/api/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)))) {
            server.start();
            String base = "http://" + server.getHost() + ":" + server.getMappedPort(4200);
            assertEquals("true", Http.get(base + "/api/health").body());
            RunLifecycle.complete(new Api(base + "/api"));

            var doctor = server.execInContainer("prefect", "doctor", "--section", "database,migrations", "-o", "json");
            assertEquals(0, doctor.getExitCode(), doctor.getStdout() + doctor.getStderr());
            assertTrue(doctor.getStdout().contains("\"pg_trgm\""), doctor.getStdout());
            var user = server.execInContainer("id", "-u");
            assertEquals("10001", user.getStdout().strip(), "the server does not run as root");
            var write = server.execInContainer("touch", "/opt/should-not-exist");
            assertTrue(write.getExitCode() != 0, "the root filesystem is read-only");
        }
    }
}
