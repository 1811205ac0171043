package org.openprefect.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Prefect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's commands on JDK 21, the oldest JDK we support, where no other JDK exists: in the
 * Debian trixie root filesystem of bin/setup-jdk21.sh, bin/check-jdk21.sh compiles every module
 * with ./mvnw and starts ./prefect server start until /api/health answers. (A JDK-23-only option in
 * .mvn/jvm.config once broke both commands on 21 while every test on 25 passed.)
 */
class Jdk21Test {
    private static final Path ROOT = Path.of(System.getProperty("prefect.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void buildAndServerStartWorkOnJdk21Alone() throws Exception {
        Path rootfs = Path.of(System.getenv().getOrDefault("OPENPREFECT_JDK21_ROOT",
                System.getProperty("user.home") + "/.cache/openprefect/jdk21-trixie"));
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (chroot): run the suite as root");
        Assumptions.assumeTrue(Files.isExecutable(rootfs.resolve("usr/lib/jvm/java-21-openjdk-amd64/bin/javac")),
                () -> "no JDK 21 root filesystem at " + rootfs + ": run bin/setup-tests (or bin/setup-jdk21.sh) as root");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/check-jdk21.sh").toString(), Integer.toString(Prefect.freePort()))
                .directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("OPENPREFECT_JDK21_ROOT", rootfs.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "check-jdk21 did not finish");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("Java version: 21."), "./mvnw ran on JDK 21:\n" + output);
        assertTrue(output.contains("its runtime: /usr/lib/jvm/java-21-openjdk-amd64/bin/java"), "the server ran on JDK 21:\n" + output);
        assertTrue(output.strip().endsWith("JDK21-OK"), output);
    }
}
