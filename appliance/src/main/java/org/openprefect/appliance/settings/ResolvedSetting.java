package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A setting's effective value and where it came from.
 *
 * @param rawValue the text the source held (what {@code config view} prints), or the Python-style
 *                 rendering of the default when the value is a default
 */
public record ResolvedSetting(SettingDefinition definition, JsonNode value, SettingSource source, String rawValue) {
}
