package org.openprefect.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code bin/start-postgres.sh} sees a running server even where PostgreSQL's client tools are not installed. */
class StartPostgresScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("prefect.repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path bin;

    @Test
    void aServerOnThePortIsEnoughWithoutPgIsready() throws Exception {
        try (Connection ignored = Sql.postgres("postgres")) {
            // Skips, saying why, when no PostgreSQL answers.
        }
        // A PATH with the shell tools the script uses and no PostgreSQL tools at all.
        for (String tool : List.of("bash", "env", "ls", "sort", "tail", "seq", "sleep")) {
            Path real = Path.of("/usr/bin", tool).toFile().exists() ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), ROOT.resolve("bin/start-postgres.sh").toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        assertEquals("", output.strip(), "nothing to start, nothing to say");
    }
}
