package org.openprefect.cli.config;

import org.openprefect.appliance.settings.InvalidSettingException;
import org.openprefect.appliance.settings.Profile;
import org.openprefect.appliance.settings.ProfilesFile;
import org.openprefect.appliance.settings.SettingDefinition;
import org.openprefect.appliance.settings.SettingsCatalog;
import org.openprefect.appliance.settings.SettingsException;
import org.openprefect.appliance.settings.SettingsLoader;
import org.openprefect.appliance.settings.ValueParser;
import org.openprefect.cli.common.CliError;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Changes the current profile in the user's profiles file. A profile that so far exists only
 * among the shipped defaults is copied into the file first, as upstream does when it saves.
 */
public final class ProfileEditor {
    private final SettingsCatalog catalog = SettingsCatalog.get();
    private final Path path;
    private final ProfilesFile userFile;
    private final Profile profile;

    public ProfileEditor(SettingsLoader loader) {
        try {
            this.path = loader.profilesPath();
            this.userFile = loader.userProfiles();
            ProfilesFile all = userFile.over(ProfilesFile.shippedDefaults());
            String name = loader.activeProfileName(all);
            Profile current = all.get(name);
            if (current == null) {
                throw new CliError("Unknown profile '" + name + "'.");
            }
            this.profile = current;
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }

    public Profile profile() {
        return profile;
    }

    /** The setting a name stands for: exact canonical names or aliases only, as upstream's check is. */
    public SettingDefinition definition(String name) {
        return catalog.byName(name).filter(d -> d.envNames().contains(name))
                .orElseThrow(() -> new CliError("Unknown setting name '" + name + "'."));
    }

    /** Throws the pydantic-style message when a value does not fit its setting. */
    public static void validate(SettingDefinition d, String value) {
        try {
            ValueParser.parse(d, value);
        } catch (InvalidSettingException e) {
            throw new CliError(e.getMessage());
        }
    }

    /**
     * The profile's settings with {@code valuesByName} applied: each value is stored under the name
     * given (the user's alias stays an alias, as upstream keeps it), replacing the setting's other
     * names so a profile never holds one setting twice; a {@code null} value removes the setting.
     */
    public Map<String, String> apply(Map<String, String> valuesByName) {
        Map<String, String> settings = new LinkedHashMap<>(profile.settings());
        valuesByName.forEach((name, value) -> {
            definition(name).envNames().forEach(settings::remove);
            if (value != null) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    /** Whether the profile sets this setting under any of its names. */
    public boolean sets(SettingDefinition d) {
        return d.envNames().stream().anyMatch(profile.settings()::containsKey);
    }

    public void save(Map<String, String> settings) {
        userFile.put(new Profile(profile.name(), settings));
        try {
            userFile.write(path);
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }
}
