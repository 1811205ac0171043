package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A setting's effective value and where it came from.
 *
 * @param rawValue the text the source held (what {@code config view} prints), or the Python-style
 *                 rendering of the default when the value is a default
 * @param name     the name the source held it under: the alias the user wrote in the environment,
 *                 {@code .env} or the profile (what {@code config view} prints, as upstream), else the
 *                 setting's canonical name
 */
public record ResolvedSetting(SettingDefinition definition, JsonNode value, SettingSource source, String rawValue, String name) {
    /** A value whose source names it canonically (defaults, TOML files). */
    public ResolvedSetting(SettingDefinition definition, JsonNode value, SettingSource source, String rawValue) {
        this(definition, value, source, rawValue, definition.name());
    }
}
