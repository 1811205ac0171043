package org.openprefect.cli.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A {@code docker save} style image tarball (what Jib's buildTar and {@code docker save} write):
 * manifest.json names a config and layers; the config's {@code rootfs.diff_ids} are the sha256 of
 * each layer uncompressed; blobs named by digest must have that digest. Checked without Docker.
 */
final class ImageTarball {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Digests of one archive entry: as stored, and after gunzip when it is gzip. */
    private record Digests(String raw, String uncompressed, byte[] smallContent) {
    }

    /**
     * What one read of the tarball found.
     *
     * @param problems everything wrong with it; empty when it is intact
     * @param description its tags and layer count, for the report
     */
    record Report(List<String> problems, String description) {
    }

    private ImageTarball() {
    }

    /** Reads the tarball once, hashing every entry, and checks the manifest, config and layers against those digests. */
    static Report check(Path tarball) {
        List<String> problems = new ArrayList<>();
        Map<String, Digests> entries;
        try {
            entries = read(tarball);
        } catch (IOException e) {
            problems.add("cannot be read as a tar archive: " + e.getMessage());
            return new Report(problems, "");
        }
        Digests manifestEntry = entries.get("manifest.json");
        if (manifestEntry == null) {
            problems.add("no manifest.json");
            return new Report(problems, "");
        }
        try {
            JsonNode manifest = JSON.readTree(manifestEntry.smallContent());
            if (!manifest.isArray() || manifest.isEmpty()) {
                problems.add("manifest.json lists no image");
            }
            for (JsonNode image : manifest) {
                checkImage(image, entries, problems);
            }
            return new Report(problems, describe(manifest));
        } catch (IOException e) {
            problems.add("manifest.json is not valid JSON: " + e.getMessage());
            return new Report(problems, "");
        }
    }

    private static void checkImage(JsonNode image, Map<String, Digests> entries, List<String> problems) throws IOException {
        String configName = image.path("Config").asText();
        Digests config = entries.get(configName);
        if (config == null) {
            problems.add("config " + configName + " is missing");
            return;
        }
        nameDigest(configName).filter(d -> !d.equals(config.raw()))
                .ifPresent(d -> problems.add("config " + configName + " has digest " + config.raw()));
        JsonNode diffIds = JSON.readTree(config.smallContent()).path("rootfs").path("diff_ids");
        JsonNode layers = image.path("Layers");
        if (diffIds.size() != layers.size()) {
            problems.add("the config lists " + diffIds.size() + " layers, the manifest " + layers.size());
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).asText();
            Digests layer = entries.get(name);
            if (layer == null) {
                problems.add("layer " + name + " is missing");
                continue;
            }
            String expected = diffIds.get(i).asText().replace("sha256:", "");
            if (!expected.equals(layer.uncompressed())) {
                problems.add("layer " + name + " does not match its diff_id " + expected);
            }
            nameDigest(name).filter(d -> !d.equals(layer.raw()) && !d.equals(layer.uncompressed()))
                    .ifPresent(d -> problems.add("layer " + name + " does not match the digest in its name"));
        }
    }

    /** A short description for the report: tags and layer count. */
    private static String describe(JsonNode manifest) {
        List<String> tags = new ArrayList<>();
        int layers = 0;
        for (JsonNode image : manifest) {
            image.path("RepoTags").forEach(t -> tags.add(t.asText()));
            layers += image.path("Layers").size();
        }
        return "image " + String.join(", ", tags) + ": manifest, config and " + layers + " layer digest(s) match";
    }

    /** The digest a blob's name carries ({@code <hex>.tar.gz}, {@code <hex>.json}, {@code blobs/sha256/<hex>}), if any. */
    private static Optional<String> nameDigest(String name) {
        String base = name.replaceFirst("^blobs/sha256/", "").replaceFirst("\\.(tar\\.gz|tar|json)$", "");
        return base.matches("[0-9a-f]{64}") ? Optional.of(base) : Optional.empty();
    }

    private static Map<String, Digests> read(Path tarball) throws IOException {
        Map<String, Digests> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tarball); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName().replaceFirst("^\\./", ""), digest(tar, entry.getSize()));
                }
            }
        }
        return entries;
    }

    /** Hashes one entry as stored and, when it is gzip, as uncompressed; keeps small JSON entries' bytes. */
    private static Digests digest(InputStream entry, long size) throws IOException {
        DigestInputStream raw = new DigestInputStream(entry, BundleVerifier.newDigest());
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        if (size < (1 << 20)) {
            byte[] content = buffered.readAllBytes();
            String rawHex = hex(raw);
            return new Digests(rawHex, gzip ? gunzipDigest(content) : rawHex, content);
        }
        if (!gzip) {
            buffered.transferTo(OutputStream.nullOutputStream());
            String rawHex = hex(raw);
            return new Digests(rawHex, rawHex, null);
        }
        DigestInputStream uncompressed = new DigestInputStream(new GZIPInputStream(buffered, 65536), BundleVerifier.newDigest());
        uncompressed.transferTo(OutputStream.nullOutputStream());
        buffered.transferTo(OutputStream.nullOutputStream());
        return new Digests(hex(raw), hex(uncompressed), null);
    }

    private static String gunzipDigest(byte[] content) throws IOException {
        try (DigestInputStream in = new DigestInputStream(new GZIPInputStream(new ByteArrayInputStream(content)), BundleVerifier.newDigest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return hex(in);
        }
    }

    private static String hex(DigestInputStream in) {
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
}
