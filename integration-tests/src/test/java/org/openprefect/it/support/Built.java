package org.openprefect.it.support;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the images module built; tests of it skip, saying why, when it was not built. */
public final class Built {
    private Built() {
    }

    public static String version() {
        return System.getProperty("openprefect.version", "0.1.0-SNAPSHOT");
    }

    public static String serverImage() {
        return "openprefect/server:" + version();
    }

    public static final String POSTGRES_IMAGE = "openprefect/postgres:15";

    /** A file the build made, or the test is skipped with what to run. */
    public static Path require(String property) {
        Path path = Path.of(System.getProperty(property, "/nonexistent")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(path), () -> path + " was not built: build the base image first "
                + "(sudo images/src/base/build-base.sh; images/src/postgres/build-postgres-image.sh for PostgreSQL), then ./mvnw verify. "
                + ".ci/run does both.");
        return path;
    }
}
