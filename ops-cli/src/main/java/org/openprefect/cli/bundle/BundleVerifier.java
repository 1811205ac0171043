package org.openprefect.cli.bundle;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.openprefect.cli.common.Folders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Checks a bundle offline: unpacks it (a truncated or malformed archive is named), compares every
 * file with SHA256SUMS (missing, changed and unlisted files fail), then checks each image tarball
 * with {@link ImageTarball}. Nothing is loaded into Docker.
 */
public final class BundleVerifier {
    static final String SUMS = "SHA256SUMS";

    /** One file of the bundle and what was found. */
    public record FileResult(String path, boolean ok, String detail) {
    }

    private final Consumer<String> progress;

    public BundleVerifier(Consumer<String> progress) {
        this.progress = progress;
    }

    public List<FileResult> verify(Path bundle) throws IOException {
        if (Files.isDirectory(bundle)) {
            return verifyFolder(root(bundle));
        }
        Path unpacked = Files.createTempDirectory("openprefect-bundle");
        try {
            progress.accept("Unpacking " + bundle + " ...");
            String problem = unpack(bundle, unpacked);
            if (problem != null) {
                return List.of(new FileResult(bundle.getFileName().toString(), false, problem));
            }
            return verifyFolder(root(unpacked));
        } finally {
            Folders.deleteQuietly(unpacked);
        }
    }

    /** The folder holding SHA256SUMS: the given one, or its only subfolder (openprefect-VERSION/). */
    private static Path root(Path folder) throws IOException {
        if (Files.exists(folder.resolve(SUMS))) {
            return folder;
        }
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> dirs = children.filter(Files::isDirectory).toList();
            return dirs.size() == 1 ? dirs.getFirst() : folder;
        }
    }

    private List<FileResult> verifyFolder(Path root) throws IOException {
        List<FileResult> results = new ArrayList<>();
        Path sumsFile = root.resolve(SUMS);
        if (!Files.isRegularFile(sumsFile)) {
            results.add(new FileResult(SUMS, false, "missing: the bundle has no SHA256SUMS, so nothing in it can be trusted"));
            return results;
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sumsFile)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+\\*?", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                results.add(new FileResult(SUMS, false, "malformed line: " + line));
                return results;
            }
            expected.put(parts[1], parts[0]);
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).filter(p -> !p.equals(SUMS)).forEach(present::add);
        }
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String path = entry.getKey();
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                results.add(new FileResult(path, false, "missing from the bundle"));
                continue;
            }
            progress.accept("Checking " + path + " (" + Files.size(file) / (1 << 20) + " MiB) ...");
            String actual = sha256(file);
            if (!actual.equals(entry.getValue())) {
                results.add(new FileResult(path, false, "checksum mismatch: SHA256SUMS says " + entry.getValue() + ", the file is " + actual));
                continue;
            }
            if (path.startsWith("images/") && path.endsWith(".tar")) {
                ImageTarball.Report image = ImageTarball.check(file);
                results.add(image.problems().isEmpty()
                        ? new FileResult(path, true, "sha256 ok; " + image.description())
                        : new FileResult(path, false, "image tarball damaged: " + String.join("; ", image.problems())));
            } else {
                results.add(new FileResult(path, true, "sha256 ok"));
            }
        }
        for (String path : present) {
            if (!expected.containsKey(path)) {
                results.add(new FileResult(path, false, "not listed in SHA256SUMS: added after the bundle was made"));
            }
        }
        return results;
    }

    /** Unpacks the archive; returns what is wrong with it, or null. */
    private static String unpack(Path archive, Path into) throws IOException {
        String current = null;
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            int count = 0;
            while ((entry = tar.getNextEntry()) != null) {
                current = entry.getName();
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    return "unsafe path in the archive: " + entry.getName();
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    long copied = Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if (copied != entry.getSize()) {
                        return "truncated: " + entry.getName() + " has " + copied + " of its " + entry.getSize() + " bytes";
                    }
                } else {
                    return "unexpected entry (link or device) in the archive: " + entry.getName();
                }
                count++;
            }
            return count == 0 ? "not a bundle: the archive is empty or not a tar file" : null;
        } catch (IOException e) {
            return current == null ? "not a tar archive: " + e.getMessage()
                    : "truncated or damaged at " + current + ": " + e.getMessage();
        }
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), newDigest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
