package org.openprefect.it.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Built;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Docker;
import org.openprefect.it.support.Prefect;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prefect bundle verify} on the bundle the build made, and on damaged copies of it. */
class BundleVerifyTest {
    @TempDir
    Path temp;
    Prefect prefect;
    Path bundle;

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
        bundle = Built.require("bundle.tar");
    }

    /** The bundle unpacked with tar, as an operator would. */
    private Path unpacked() {
        Path dir = temp.resolve("unpacked");
        dir.toFile().mkdirs();
        Docker.Result tar = Docker.run(dir, 120, "tar", "-xf", bundle.toString());
        assertEquals(0, tar.exitCode(), tar.output());
        try (Stream<Path> children = Files.list(dir)) {
            return children.findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode file(CliResult result, String path) throws Exception {
        for (JsonNode f : Api.JSON.readTree(result.stdout()).get("files")) {
            if (f.get("path").asText().equals(path)) {
                return f;
            }
        }
        throw new AssertionError("no " + path + " in " + result);
    }

    @Test
    void intactBundleVerifiesAndListsWhatItHolds() throws Exception {
        CliResult result = prefect.run("bundle", "verify", bundle.toString(), "-o", "json");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("ok", Api.JSON.readTree(result.stdout()).get("status").asText());
        String serverImage = "images/openprefect-server-" + Built.version() + ".tar";
        assertTrue(file(result, serverImage).get("detail").asText().contains(Built.serverImage()), result::toString);
        for (String path : List.of("compose/compose.yaml", "compose/compose.sqlite.yaml", "compose/.env.example", "INSTALL.txt")) {
            assertEquals("ok", file(result, path).get("status").asText(), path);
        }
        assertEquals(0, prefect.run("bundle", "verify", unpacked().toString()).exitCode(), "the unpacked folder verifies too");
    }

    @Test
    void editedFileIsNamed() throws Exception {
        Path root = unpacked();
        Files.writeString(root.resolve("compose/compose.yaml"), "\n# edited\n", StandardOpenOption.APPEND);
        CliResult result = prefect.run("bundle", "verify", root.toString(), "-o", "json");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("fail", file(result, "compose/compose.yaml").get("status").asText());
        assertTrue(file(result, "compose/compose.yaml").get("detail").asText().contains("checksum mismatch"), result::toString);
        assertEquals("ok", file(result, "INSTALL.txt").get("status").asText(), "only the bad file is blamed");
    }

    @Test
    void layerTamperedWithMatchingChecksumsFileIsCaughtByTheImageDigests() throws Exception {
        Path root = unpacked();
        String name = "images/openprefect-server-" + Built.version() + ".tar";
        Path image = root.resolve(name);
        // Flip bytes deep inside the image tarball (inside its largest layer), then "fix" SHA256SUMS
        // as someone covering their tracks would: only the image's own digests can tell.
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(f.length() / 2);
            byte[] chunk = new byte[64];
            f.readFully(chunk);
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) ~chunk[i];
            }
            f.seek(f.length() / 2);
            f.write(chunk);
        }
        Path sums = root.resolve("SHA256SUMS");
        String newSum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image)));
        List<String> lines = Files.readAllLines(sums).stream()
                .map(l -> l.endsWith(" " + name) ? newSum + "  " + name : l).toList();
        Files.write(sums, lines);

        CliResult result = prefect.run("bundle", "verify", root.toString(), "-o", "json");
        assertEquals(1, result.exitCode(), result::toString);
        JsonNode bad = file(result, name);
        assertEquals("fail", bad.get("status").asText());
        assertTrue(bad.get("detail").asText().contains("image tarball damaged"), result::toString);
    }

    @Test
    void truncatedBundleAndAddedFileAreRejected() throws Exception {
        Path truncated = temp.resolve("truncated.tar");
        Files.copy(bundle, truncated);
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        CliResult cut = prefect.run("bundle", "verify", truncated.toString());
        assertEquals(1, cut.exitCode(), cut::toString);
        assertTrue(cut.stdout().contains("truncated") && cut.stdout().contains("FAIL"), cut::toString);

        Path root = unpacked();
        Files.writeString(root.resolve("compose/override.yaml"), "services: {}\n");
        CliResult added = prefect.run("bundle", "verify", root.toString(), "-o", "json");
        assertEquals(1, added.exitCode(), added::toString);
        assertTrue(file(added, "compose/override.yaml").get("detail").asText().contains("not listed"), added::toString);

        assertEquals(1, prefect.run("bundle", "verify", temp.resolve("nothing-here.tar").toString()).exitCode());
    }
}
