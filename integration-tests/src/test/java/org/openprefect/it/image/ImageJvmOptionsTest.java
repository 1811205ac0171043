package org.openprefect.it.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        String flags = flags("-XX:+PrintFlagsFinal");
        assertTrue(flags.matches("(?s).*\\bUseSerialGC\\s+= true.*"), flags);
        assertTrue(flags.matches("(?s).*\\bMaxHeapSize\\s+= 402653184\\b.*"), flags);
        assertTrue(flags.matches("(?s).*\\bNewSize\\s+= 25165824\\b.*"), flags);
        assertTrue(flags.matches("(?s).*\\bMinHeapFreeRatio\\s+= 10\\b.*"), flags);
    }

    @Test
    void aCollectorInJavaOptsReplacesTheSerialOne() {
        String flags = flags("-XX:+UseParallelGC -XX:+PrintFlagsFinal");
        assertTrue(flags.matches("(?s).*\\bUseParallelGC\\s+= true.*"), flags);
        assertTrue(flags.matches("(?s).*\\bUseSerialGC\\s+= false.*"), flags);
        assertTrue(flags.matches("(?s).*\\bMaxHeapSize\\s+= 402653184\\b.*"), flags);
    }

    private static String flags(String javaOpts) {
        Docker.Result run = Docker.cli(120, "run", "--rm", "-e", "JAVA_OPTS=" + javaOpts, Built.serverImage(), "--version");
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }
}
