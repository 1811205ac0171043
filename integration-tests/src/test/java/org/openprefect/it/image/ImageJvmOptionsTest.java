package org.openprefect.it.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Docker;
import org.openprefect.it.support.JvmFlags;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The image's prefect command starts its JVM with /app/jvm.options, the file ./prefect reads
 * (ops-cli/src/main/jvm/jvm.options), and JAVA_OPTS after it: a collector chosen there replaces the
 * serial one, the heap's bounds stay. Skips where no Docker engine runs.
 */
class ImageJvmOptionsTest {
    @BeforeAll
    static void image() {
        Docker.requireEngine();
        Docker.load(Built.serverImage(), Built.require("image.tar"));
    }

    @Test
    void theHeapAndCollectorOfTheOptionsFile() {
        Map<String, String> flags = flags("-XX:+PrintFlagsFinal");
        assertEquals("true", flags.get("UseSerialGC"));
        assertEquals("402653184", flags.get("MaxHeapSize"));
        assertEquals("25165824", flags.get("NewSize"));
        assertEquals("10", flags.get("MinHeapFreeRatio"));
        assertEquals("false", flags.get("ShrinkHeapInSteps"));
    }

    @Test
    void javaOptsComeAfterTheDefaultsAndItsCollectorReplacesTheSerialOne() {
        Map<String, String> flags = flags("-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:+PrintFlagsFinal");
        assertEquals("true", flags.get("UseParallelGC"));
        assertEquals("false", flags.get("UseSerialGC"));
        assertEquals("402653184", flags.get("MaxHeapSize"));
        assertEquals("1", flags.get("TieredStopAtLevel"), "the C1-only option security.md offers a small host");
    }

    /** The flags of the JVM the image's prefect command starts with these JAVA_OPTS. */
    private static Map<String, String> flags(String javaOpts) {
        Docker.Result run = Docker.cli(120, "run", "--rm", "-e", "JAVA_OPTS=" + javaOpts, Built.serverImage(), "--version");
        assertEquals(0, run.exitCode(), run.output());
        return JvmFlags.of(run.output());
    }
}
