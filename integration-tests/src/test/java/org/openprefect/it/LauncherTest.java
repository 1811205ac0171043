package org.openprefect.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's {@code ./prefect} launcher: finds a JDK 21+ by itself and runs the CLI. */
class LauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("prefect.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void launcherRunsTheCliWithoutJavaHome() throws Exception {
        ProcessBuilder pb = launcher();
        pb.environment().remove("JAVA_HOME");
        // Only the system's default java (possibly too old) on PATH: the launcher must look further.
        pb.environment().put("PATH", "/usr/bin:/bin");
        String output = succeeds(pb);
        assertEquals("3.8.4", output.strip().lines().reduce((a, b) -> b).orElse(""), output);
    }

    @Test
    void theJvmGetsTheOptionsOfJvmOptionsFile() throws Exception {
        ProcessBuilder pb = launcher();
        pb.environment().put("PREFECT_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        String output = succeeds(pb);
        // ops-cli/src/main/jvm/jvm.options, where none of these is the JVM's default on this machine.
        assertTrue(output.matches("(?s).*\\bUseSerialGC\\s+= true.*"), output);
        assertTrue(output.matches("(?s).*\\bNewSize\\s+= 25165824\\b.*"), output);
        assertTrue(output.matches("(?s).*\\bMaxHeapFreeRatio\\s+= 30\\b.*"), output);
    }

    @Test
    void aCollectorInPrefectJavaOptsReplacesTheSerialOne() throws Exception {
        // Two collectors stop the JVM before it starts ("Multiple garbage collectors selected").
        ProcessBuilder pb = launcher();
        pb.environment().put("PREFECT_JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintFlagsFinal");
        String output = succeeds(pb);
        assertTrue(output.matches("(?s).*\\bUseG1GC\\s+= true.*"), output);
        assertTrue(output.matches("(?s).*\\bUseSerialGC\\s+= false.*"), output);
        assertTrue(output.matches("(?s).*\\bMaxHeapSize\\s+= 402653184\\b.*"), "the launcher's -Xmx384m still applies");
    }

    private static ProcessBuilder launcher() {
        return new ProcessBuilder(ROOT.resolve("prefect").toString(), "--version").directory(ROOT.toFile()).redirectErrorStream(true);
    }

    /** Runs it to completion; its output, once it has exited 0. */
    private static String succeeds(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(300, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
