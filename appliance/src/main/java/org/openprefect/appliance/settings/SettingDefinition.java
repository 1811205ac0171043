package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One leaf of upstream's settings tree, as described by settings.schema.json.
 *
 * @param path         dotted path in the tree, e.g. {@code server.api.port}
 * @param envNames     accepted environment variable names, canonical first, then legacy aliases
 * @param schema       the JSON Schema of the value (type, enum, bounds, format)
 * @param defaultValue the schema's default, or {@code null} when the default is computed from other settings
 * @param secret       whether the value is masked in {@code config view} and {@code /admin/settings}
 * @param description  upstream's description, for --help and the docs page
 */
public record SettingDefinition(String path,
                                List<String> envNames,
                                JsonNode schema,
                                JsonNode defaultValue,
                                boolean secret,
                                String description) {

    public String name() {
        return envNames.getFirst();
    }

    public List<String> pathParts() {
        return List.of(path.split("\\."));
    }
}
