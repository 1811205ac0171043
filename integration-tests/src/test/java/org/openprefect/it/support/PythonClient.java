package org.openprefect.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 with the libraries the Prefect client talks through ({@code websockets} and
 * {@code httpx}; Debian's python3-websockets and python3-httpx), running the scripts under
 * {@code src/test/resources/python}. Tests that need it skip, saying what to install, where none is found.
 */
public final class PythonClient {
    private static final List<String> CANDIDATES = List.of("python3", "/usr/bin/python3");

    private final String executable;

    private PythonClient(String executable) {
        this.executable = executable;
    }

    public static PythonClient withWebsocketsAndHttpx() {
        return importing("import websockets, httpx", "the websockets and httpx modules", "python3-websockets python3-httpx");
    }

    /** A Python 3 with the {@code cryptography} package (Debian's python3-cryptography), whose Fernet upstream encrypts block data with. */
    public static PythonClient withCryptography() {
        return importing("from cryptography.fernet import Fernet", "the cryptography module", "python3-cryptography");
    }

    /** A Python 3 with Jinja2 (Debian's python3-jinja2), the template engine upstream validates notification templates with. */
    public static PythonClient withJinja2() {
        return importing("import jinja2", "the jinja2 module", "python3-jinja2");
    }

    private static PythonClient importing(String statement, String what, String debianPackages) {
        for (String candidate : CANDIDATES) {
            if (imports(candidate, statement)) {
                return new PythonClient(candidate);
            }
        }
        Assumptions.abort("No python3 with " + what + ": run bin/setup-tests as root, or apt-get install " + debianPackages + ".");
        throw new IllegalStateException("unreachable");
    }

    private static boolean imports(String python, String statement) {
        try {
            Process p = new ProcessBuilder(python, "-c", statement).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a script from the test resources; it must exit 0 and print one JSON object last. */
    public JsonNode runScript(String name, String... args) throws Exception {
        Path script = Files.createTempFile("openprefect-", "-" + name);
        try (InputStream in = PythonClient.class.getResourceAsStream("/python/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /python/" + name);
            }
            Files.write(script, in.readAllBytes());
        }
        String output;
        try {
            List<String> command = new ArrayList<>(List.of(executable, script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(name + " did not finish within 120 s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new AssertionError(name + " exited " + p.exitValue() + ":\n" + output);
            }
        } finally {
            Files.deleteIfExists(script);
        }
        String last = output.substring(output.lastIndexOf('\n') + 1);
        return Api.JSON.readTree(last);
    }
}
