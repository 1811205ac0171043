package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The effective settings of one process: every setting's value and source, plus the active profile. */
public final class Settings {
    public static final String ADMIN_SECRET_MASK = "**********";

    private final String profileName;
    private final Map<String, ResolvedSetting> byPath;
    private final List<String> warnings;

    Settings(String profileName, Map<String, ResolvedSetting> byPath, List<String> warnings) {
        this.profileName = profileName;
        this.byPath = Map.copyOf(byPath);
        this.warnings = List.copyOf(warnings);
    }

    public String profileName() {
        return profileName;
    }

    /** Problems that did not stop loading (an unreadable profiles file, an unknown key in a profile). */
    public List<String> warnings() {
        return warnings;
    }

    public Collection<ResolvedSetting> all() {
        return byPath.values();
    }

    public ResolvedSetting get(String path) {
        ResolvedSetting setting = byPath.get(path);
        if (setting == null) {
            throw new IllegalArgumentException("no such setting path: " + path);
        }
        return setting;
    }

    public JsonNode value(String path) {
        return get(path).value();
    }

    public String text(String path) {
        JsonNode v = value(path);
        return v.isNull() ? null : v.asText();
    }

    public int integer(String path) {
        return value(path).asInt();
    }

    public double number(String path) {
        return value(path).asDouble();
    }

    public boolean bool(String path) {
        return value(path).asBoolean();
    }

    /** A setting upstream holds as a number of seconds (a float), to the nearest millisecond. */
    public Duration seconds(String path) {
        return Duration.ofMillis(Math.round(number(path) * 1000));
    }

    public Duration duration(String path) {
        return Durations.parse(value(path).asText());
    }

    public Path home() {
        return Path.of(text("home"));
    }

    public Path profilesPath() {
        return Path.of(text("profiles_path"));
    }

    /** The nested settings tree of {@code GET /admin/settings}, secrets shown as pydantic masks them. */
    public ObjectNode adminTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        byPath.values().stream()
                .sorted((a, b) -> a.definition().path().compareTo(b.definition().path()))
                .forEach(s -> {
                    List<String> parts = s.definition().pathParts();
                    ObjectNode parent = root;
                    for (String part : parts.subList(0, parts.size() - 1)) {
                        parent = parent.has(part) ? (ObjectNode) parent.get(part) : parent.putObject(part);
                    }
                    JsonNode shown = s.definition().secret() && !s.value().isNull()
                            ? TextNode.valueOf(ADMIN_SECRET_MASK) : s.value();
                    parent.set(parts.getLast(), shown);
                });
        return root;
    }
}
