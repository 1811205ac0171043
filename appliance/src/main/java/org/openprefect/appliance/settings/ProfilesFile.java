package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The profiles file in upstream's format: an optional top-level {@code active} and one
 * {@code [profiles.NAME]} table of string settings per profile. Files written here load in
 * upstream unchanged and the other way round.
 */
public final class ProfilesFile {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String SHIPPED_RESOURCE = "/profiles.toml";

    private String active;
    private final Map<String, Profile> profiles;

    public ProfilesFile(String active, Map<String, Profile> profiles) {
        this.active = active;
        this.profiles = new LinkedHashMap<>(profiles);
    }

    public static ProfilesFile empty() {
        return new ProfilesFile(null, Map.of());
    }

    /** The profiles Prefect ships (ephemeral, local, test, cloud), merged under the user's file when reading. */
    public static ProfilesFile shippedDefaults() {
        try (InputStream in = ProfilesFile.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            return parse(new String(Objects.requireNonNull(in, "shipped profiles missing").readAllBytes(),
                    StandardCharsets.UTF_8), "shipped profiles");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the file; a missing file is an empty collection, malformed TOML a {@link SettingsException}. */
    public static ProfilesFile read(Path path) {
        if (!Files.exists(path)) {
            return empty();
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new SettingsException("Cannot read profiles file " + path + ": " + e.getMessage());
        }
    }

    static ProfilesFile parse(String toml, String origin) {
        JsonNode root;
        try {
            root = TOML.readTree(toml);
        } catch (IOException e) {
            throw new SettingsException("Failed to load profiles from " + origin + ": invalid TOML ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null) {
            return empty();
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        root.path("profiles").properties().forEach(p -> {
            Map<String, String> settings = new LinkedHashMap<>();
            p.getValue().properties().forEach(s -> settings.put(s.getKey(), pythonString(s.getValue())));
            profiles.put(p.getKey(), new Profile(p.getKey(), settings));
        });
        String active = root.hasNonNull("active") ? root.get("active").asText() : null;
        return new ProfilesFile(active, profiles);
    }

    /** Upstream keeps profile values as strings of what was written; TOML booleans become True/False. */
    private static String pythonString(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    public String active() {
        return active;
    }

    public void setActive(String name) {
        this.active = name;
    }

    public Map<String, Profile> profiles() {
        return profiles;
    }

    public Profile get(String name) {
        return profiles.get(name);
    }

    public boolean contains(String name) {
        return profiles.containsKey(name);
    }

    public void put(Profile profile) {
        profiles.put(profile.name(), profile);
    }

    public void remove(String name) {
        profiles.remove(name);
    }

    /** This collection laid over {@code base}: same-named profiles replace the base's, our active wins. */
    public ProfilesFile over(ProfilesFile base) {
        Map<String, Profile> merged = new LinkedHashMap<>(base.profiles);
        merged.putAll(profiles);
        return new ProfilesFile(active != null ? active : base.active, merged);
    }

    /** Drops profiles equal to a shipped default, as upstream does before writing. */
    public ProfilesFile withoutUnchanged(ProfilesFile defaults) {
        Map<String, Profile> kept = new LinkedHashMap<>();
        profiles.forEach((name, profile) -> {
            Profile shipped = defaults.get(name);
            if (shipped == null || !shipped.settings().equals(profile.settings())) {
                kept.put(name, profile);
            }
        });
        return new ProfilesFile(active, kept);
    }

    public String toToml() {
        StringBuilder out = new StringBuilder();
        if (active != null) {
            out.append("active = ").append(quote(active)).append("\n\n");
        }
        profiles.values().forEach(profile -> {
            out.append("[profiles.").append(key(profile.name())).append("]\n");
            profile.settings().forEach((k, v) -> out.append(key(k)).append(" = ").append(quote(v)).append('\n'));
            out.append('\n');
        });
        return out.toString();
    }

    /** Rewrites the whole file atomically; a new file gets mode 0600 because profiles may hold secrets. */
    public void write(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".profiles", ".tmp");
            try {
                setOwnerOnly(temp);
                Files.writeString(temp, toToml(), StandardCharsets.UTF_8);
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SettingsException("Cannot write profiles file " + path + ": it was created concurrently");
        } catch (IOException e) {
            throw new SettingsException("Cannot write profiles file " + path + ": " + e);
        }
    }

    private static void setOwnerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: nothing finer to set.
        }
    }

    private static String key(String k) {
        return BARE_KEY.matcher(k).matches() ? k : quote(k);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
