package org.openprefect.cli.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * {@code $PREFECT_HOME/server.pid} (or {@code services.pid} for {@code prefect server services start -b}):
 * created exclusively with mode 0600, as upstream does.
 */
public final class PidFile {
    private final Path path;

    public PidFile(Path prefectHome) {
        this(prefectHome, "server.pid");
    }

    PidFile(Path prefectHome, String name) {
        this.path = prefectHome.resolve(name);
    }

    static PidFile services(Path prefectHome) {
        return new PidFile(prefectHome, "services.pid");
    }

    public Path path() {
        return path;
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /** Claims the file; false when another server already holds it. */
    public boolean create() throws IOException {
        Files.createDirectories(path.getParent());
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    public void write(long pid) throws IOException {
        Files.writeString(path, Long.toString(pid), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public OptionalLong read() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path, StandardCharsets.UTF_8).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Nothing to clean up, or nothing we can do about it.
        }
    }
}
