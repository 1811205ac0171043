package org.openprefect.cli.common;

import org.openprefect.appliance.settings.Settings;
import org.openprefect.appliance.settings.SettingsEnvironment;
import org.openprefect.appliance.settings.SettingsException;
import org.openprefect.appliance.settings.SettingsLoader;

import java.util.Map;

/** What every command shares: the console and the settings as chosen by {@code --profile}. */
public final class CliContext {
    private final Console console;
    private final SettingsEnvironment environment;

    public CliContext(Console console, SettingsEnvironment environment) {
        this.console = console;
        this.environment = environment;
    }

    public Console console() {
        return console;
    }

    public SettingsEnvironment environment() {
        return environment;
    }

    public SettingsLoader loader() {
        try {
            return new SettingsLoader(environment);
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }

    public Settings settings() {
        return settings(Map.of());
    }

    /** The settings with some variables set on top, as {@code server start} applies its flags. */
    public Settings settings(Map<String, String> overrides) {
        try {
            Settings settings = new SettingsLoader(environment.with(overrides)).load();
            settings.warnings().forEach(console::warn);
            return settings;
        } catch (SettingsException e) {
            throw new CliError(e.getMessage());
        }
    }
}
