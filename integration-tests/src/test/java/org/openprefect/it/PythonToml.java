package org.openprefect.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks a file with Python's own TOML reader, the one upstream Prefect loads profiles with. */
final class PythonToml {
    private PythonToml() {
    }

    static void assertReadableByPython(Path file) throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder("python3", "-c", "import tomllib").start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed; skipped the upstream TOML reader check");
            return;
        }
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with tomllib (3.11+) is not available; skipped the upstream TOML reader check");
        Process p = new ProcessBuilder("python3", "-c",
                "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "python could not read the profiles file: " + output);
    }
}
