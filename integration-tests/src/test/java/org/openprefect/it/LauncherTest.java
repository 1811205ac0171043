package org.openprefect.it;

import org.junit.jupiter.api.Test;
import org.openprefect.it.support.JvmFlags;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Map<String, String> flags = flags("-XX:+PrintFlagsFinal");
        // ops-cli/src/main/jvm/jvm.options, where none of these is the JVM's default on this machine.
        assertEquals("true", flags.get("UseSerialGC"));
        assertEquals("25165824", flags.get("NewSize"));
        assertEquals("30", flags.get("MaxHeapFreeRatio"));
        assertEquals("false", flags.get("ShrinkHeapInSteps"));
    }

    @Test
    void prefectJavaOptsComeAfterTheDefaultsAndItsCollectorReplacesTheSerialOne() throws Exception {
        // Two collectors stop the JVM before it starts ("Multiple garbage collectors selected").
        Map<String, String> flags = flags("-XX:+UseG1GC -XX:TieredStopAtLevel=1 -XX:+PrintFlagsFinal");
        assertEquals("true", flags.get("UseG1GC"));
        assertEquals("false", flags.get("UseSerialGC"));
        assertEquals("402653184", flags.get("MaxHeapSize"), "the launcher's -Xmx384m still applies");
        assertEquals("1", flags.get("TieredStopAtLevel"), "the C1-only option security.md offers a small host");
    }

    /** The flags of the JVM ./prefect starts with these PREFECT_JAVA_OPTS. */
    private static Map<String, String> flags(String javaOpts) throws Exception {
        ProcessBuilder pb = launcher();
        pb.environment().put("PREFECT_JAVA_OPTS", javaOpts);
        return JvmFlags.of(succeeds(pb));
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
