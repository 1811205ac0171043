package org.openprefect.appliance.settings;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What settings are read from: the environment variables, the working directory (for .env,
 * prefect.toml and pyproject.toml) and the profile chosen with {@code --profile}, if any.
 */
public record SettingsEnvironment(Map<String, String> env, Path workingDirectory, String profileOverride) {

    public SettingsEnvironment {
        Map<String, String> upper = new HashMap<>();
        env.forEach((k, v) -> upper.put(k.toUpperCase(Locale.ROOT), v));
        env = Map.copyOf(upper);
    }

    public static SettingsEnvironment fromSystem(String profileOverride) {
        return new SettingsEnvironment(System.getenv(), Path.of("").toAbsolutePath(), profileOverride);
    }

    /** The same environment with some variables set, as the CLI does for {@code server start --port}. */
    public SettingsEnvironment with(Map<String, String> variables) {
        Map<String, String> merged = new HashMap<>(env);
        variables.forEach((k, v) -> merged.put(k.toUpperCase(Locale.ROOT), v));
        return new SettingsEnvironment(merged, workingDirectory, profileOverride);
    }

    public String get(String name) {
        return env.get(name.toUpperCase(Locale.ROOT));
    }
}
