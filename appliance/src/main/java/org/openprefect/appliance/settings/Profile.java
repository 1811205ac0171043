package org.openprefect.appliance.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/** A named set of settings, keys as written in the profiles file (canonical names or legacy aliases). */
public record Profile(String name, Map<String, String> settings) {
    public Profile {
        settings = new LinkedHashMap<>(settings);
    }

    public Profile with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(settings);
        merged.putAll(changes);
        return new Profile(name, merged);
    }
}
