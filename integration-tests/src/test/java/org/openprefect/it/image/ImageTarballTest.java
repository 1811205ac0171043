package org.openprefect.it.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.Prefect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image tarball Jib wrote, read without any Docker engine: its config, its layers, the same
 * digest from two builds, and the server started from the image's own files.
 */
class ImageTarballTest {
    @TempDir
    Path temp;

    /** Every file entry of a tar archive, by name. */
    private static Map<String, byte[]> entries(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return Api.JSON.readTree(bytes);
    }

    @FunctionalInterface
    private interface LayerEntryVisitor {
        void visit(String name, TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /** Every entry of every layer of the built image, in layer order, with its name relative to the root. */
    private static void forEachLayerEntry(LayerEntryVisitor visitor) throws IOException {
        Map<String, byte[]> image = entries(Files.newInputStream(Built.require("image.tar")));
        for (JsonNode layer : json(image.get("manifest.json")).get(0).get("Layers")) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(image.get(layer.asText()))))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    visitor.visit(e.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), e, tar);
                }
            }
        }
    }

    @Test
    void configSaysHowTheImageRuns() throws Exception {
        Map<String, byte[]> image = entries(Files.newInputStream(Built.require("image.tar")));
        JsonNode manifest = json(image.get("manifest.json")).get(0);
        assertEquals(Built.serverImage(), manifest.get("RepoTags").get(0).asText());
        JsonNode config = json(image.get(manifest.get("Config").asText())).get("config");
        assertEquals("10001:10001", config.get("User").asText(), "not root");
        assertEquals(List.of("/usr/local/bin/prefect"), Api.JSON.convertValue(config.get("Entrypoint"), List.class));
        assertEquals(List.of("server", "start", "--host", "0.0.0.0"), Api.JSON.convertValue(config.get("Cmd"), List.class));
        assertTrue(config.get("ExposedPorts").has("4200/tcp"));
        assertTrue(config.get("Volumes").has("/data"));
        assertTrue(config.get("Env").toString().contains("PREFECT_HOME=/data"), config::toString);
        JsonNode labels = config.get("Labels");
        assertEquals(Built.version(), labels.get("org.opencontainers.image.version").asText());
        assertTrue(labels.get("org.opencontainers.image.revision").asText().matches("[0-9a-f]{40}"), labels::toString);
        assertTrue(labels.has("org.opencontainers.image.source") && labels.has("org.opencontainers.image.licenses"), labels::toString);
    }

    @Test
    void layersHoldTheRuntimeTheCommandAndAVolumeTheUserOwns() throws Exception {
        Map<String, TarArchiveEntry> files = new HashMap<>();
        forEachLayerEntry((name, e, tar) -> files.put(name, e));
        assertTrue(files.containsKey("opt/java/bin/java"), "the jlink runtime");
        assertEquals(0755, files.get("usr/local/bin/prefect").getMode() & 0777, "the prefect command is executable");
        assertTrue(files.containsKey("app/jib-classpath-file"));
        assertTrue(files.keySet().stream().anyMatch(f -> f.equals("app/libs/ops-cli.jar")), "the CLI and server jars");
        assertTrue(files.keySet().stream().anyMatch(f -> f.matches("app/libs/appliance-.*\\.jar")), "the server");
        assertTrue(files.get("app/cds/server.jsa").getSize() > 10_000_000, "the class-data archive");
        assertTrue(files.containsKey("app/sqlite-native/x86_64/libsqlitejdbc.so"), "SQLite's native library, unpacked");
        TarArchiveEntry data = files.get("data/");
        assertEquals(10001, data.getLongUserId(), "/data belongs to the image's user, so a fresh volume is writable");
    }

    @Test
    void twoBuildsOfOneCommitGiveOneDigest() throws Exception {
        Path first = Built.require("image.tar");
        Path second = Built.require("image.tar.again");
        String digest = Files.readString(first.resolveSibling("digest")).strip();
        assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
        assertEquals(digest, Files.readString(second.resolveSibling("digest")).strip());
        assertEquals(Files.mismatch(first, second), -1L, "byte-identical tarballs");
    }

    @Test
    void ourJarsCarryFixedTimesSoTwoBuildsMakeOneImage() throws Exception {
        List<String> checked = new ArrayList<>();
        forEachLayerEntry((name, e, tar) -> {
            if (name.matches("app/libs/(ops-cli|appliance-.*|migrations-.*)\\.jar")) {
                try (ZipInputStream jar = new ZipInputStream(new ByteArrayInputStream(tar.readAllBytes()))) {
                    for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                        // The zip's own (local, zone-less) time: Maven writes the parent pom's outputTimestamp's UTC wall-clock.
                        assertEquals(LocalDateTime.parse("2023-11-14T22:13:20"), entry.getTimeLocal(), name + "!" + entry.getName());
                    }
                }
                checked.add(name);
            }
        });
        assertEquals(3, checked.size(), checked::toString);
    }

    @Test
    void serverStartedFromTheImagesOwnFilesAnswersHealth() throws Exception {
        Path root = Files.createDirectories(temp.resolve("rootfs"));
        forEachLayerEntry((name, e, tar) -> {
            // The runtime and the application are all the server needs from the image. The class-data
            // archive accepts only the jars and runtime it was made from, their times included.
            if ((name.startsWith("opt/java/") || name.startsWith("app/")) && e.isFile()) {
                Path target = root.resolve(name);
                Files.createDirectories(target.getParent());
                Files.copy(tar, target);
                target.toFile().setExecutable((e.getMode() & 0100) != 0);
                Files.setLastModifiedTime(target, FileTime.from(e.getLastModifiedDate().toInstant()));
            }
        });
        String classpath = Files.readString(root.resolve("app/jib-classpath-file")).strip().replace("/app/", root + "/app/");
        int port = Prefect.freePort();
        Path home = Files.createDirectories(temp.resolve("home"));
        // As the image's prefect command starts it, with -Xshare:on: the JVM refuses to start when the
        // archive does not fit this runtime and these jars (it would silently go without it otherwise).
        ProcessBuilder pb = new ProcessBuilder(root.resolve("opt/java/bin/java").toString(), "-XX:-UsePerfData",
                "-Xshare:on", "-XX:SharedArchiveFile=" + root.resolve("app/cds/server.jsa"), "-Xmx384m",
                "-Dorg.sqlite.lib.path=" + root.resolve("app/sqlite-native/x86_64"), "-Dorg.sqlite.lib.name=libsqlitejdbc.so",
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "org.openprefect.cli.PrefectCli",
                "server", "start", "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(temp.resolve("server.log").toFile());
        pb.environment().clear();
        pb.environment().put("PREFECT_HOME", home.toString());
        pb.environment().put("HOME", home.toString());
        Process server = pb.start();
        try {
            assertTrue(Http.awaitOk("http://127.0.0.1:" + port + "/api/health", Duration.ofSeconds(90), server), this::readLog);
            assertEquals("true", Http.get("http://127.0.0.1:" + port + "/api/health").body());
            assertEquals(200, Http.get("http://127.0.0.1:" + port + "/api/ready").statusCode(), "the database works on the image's runtime");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private String readLog() {
        try {
            return Files.readString(temp.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
