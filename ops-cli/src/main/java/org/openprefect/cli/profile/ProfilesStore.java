package org.openprefect.cli.profile;

import org.openprefect.appliance.settings.ProfilesFile;
import org.openprefect.appliance.settings.SettingsException;
import org.openprefect.appliance.settings.SettingsLoader;
import org.openprefect.cli.common.CliError;

import java.nio.file.Path;

/** The user's profiles file for the profile commands: read once, changed, written back whole. */
final class ProfilesStore {
    private final SettingsLoader loader;
    private final Path path;
    private final ProfilesFile userFile;

    ProfilesStore(SettingsLoader loader) {
        this.loader = loader;
        try {
            this.path = loader.profilesPath();
            this.userFile = loader.userProfiles();
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }

    Path path() {
        return path;
    }

    ProfilesFile userFile() {
        return userFile;
    }

    /** User profiles over the shipped ones: what {@code use} and {@code --from} may name. */
    ProfilesFile all() {
        return userFile.over(ProfilesFile.shippedDefaults());
    }

    String activeName() {
        return loader.activeProfileName(all());
    }

    void save() {
        try {
            userFile.write(path);
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }
}
