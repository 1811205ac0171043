package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting upstream Prefect knows, read from its published settings schema (a copy ships
 * in our resources), so names, aliases, defaults and types stay exactly upstream's.
 */
public final class SettingsCatalog {
    /** Upstream's settings, then the appliance's own (limits and timeouts upstream leaves to uvicorn). */
    private static final List<String> SCHEMA_RESOURCES = List.of("/settings.schema.json", "/appliance.settings.schema.json");
    private static volatile SettingsCatalog instance;

    private final List<SettingDefinition> definitions;
    private final Map<String, SettingDefinition> byEnvName = new HashMap<>();
    private final Map<String, SettingDefinition> byPath = new HashMap<>();

    private SettingsCatalog(List<SettingDefinition> definitions) {
        this.definitions = definitions.stream().sorted(Comparator.comparing(SettingDefinition::name)).toList();
        for (SettingDefinition d : this.definitions) {
            byPath.put(d.path(), d);
            for (String env : d.envNames()) {
                byEnvName.put(env.toUpperCase(Locale.ROOT), d);
            }
        }
    }

    public static SettingsCatalog get() {
        if (instance == null) {
            synchronized (SettingsCatalog.class) {
                if (instance == null) {
                    instance = load();
                }
            }
        }
        return instance;
    }

    private static SettingsCatalog load() {
        List<SettingDefinition> found = new ArrayList<>();
        for (String resource : SCHEMA_RESOURCES) {
            JsonNode root = read(resource);
            collect(root, root.get("properties"), "", found);
        }
        return new SettingsCatalog(found);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = SettingsCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("settings schema missing from the classpath: " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the settings schema " + resource, e);
        }
    }

    private static void collect(JsonNode root, JsonNode properties, String prefix, List<SettingDefinition> out) {
        properties.properties().forEach(entry -> {
            String path = prefix + entry.getKey();
            JsonNode node = entry.getValue();
            String ref = referencedGroup(node);
            if (ref != null) {
                collect(root, root.get("$defs").get(ref).get("properties"), path + ".", out);
                return;
            }
            List<String> envNames = new ArrayList<>();
            node.path("supported_environment_variables").forEach(n -> envNames.add(n.asText()));
            if (envNames.isEmpty()) {
                envNames.add("PREFECT_" + path.replace('.', '_').toUpperCase(Locale.ROOT));
            }
            out.add(new SettingDefinition(path, List.copyOf(envNames), node,
                    node.has("default") ? node.get("default") : null,
                    isSecret(node), node.path("description").asText("").strip()));
        });
    }

    private static String referencedGroup(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null && node.has("allOf")) {
            ref = node.get("allOf").get(0).get("$ref");
        }
        return ref == null ? null : ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
    }

    private static boolean isSecret(JsonNode node) {
        if ("password".equals(node.path("format").asText())) {
            return true;
        }
        for (JsonNode alternative : node.path("anyOf")) {
            if ("password".equals(alternative.path("format").asText())) {
                return true;
            }
        }
        return false;
    }

    public List<SettingDefinition> all() {
        return definitions;
    }

    /** Looks a setting up by its canonical name or any alias, ignoring case as upstream does. */
    public Optional<SettingDefinition> byName(String envName) {
        return Optional.ofNullable(byEnvName.get(envName.toUpperCase(Locale.ROOT)));
    }

    public SettingDefinition byPath(String path) {
        SettingDefinition d = byPath.get(path);
        if (d == null) {
            throw new IllegalArgumentException("no such setting path: " + path);
        }
        return d;
    }

    public Optional<SettingDefinition> findByPath(String path) {
        return Optional.ofNullable(byPath.get(path));
    }
}
