package org.openprefect.appliance.settings;

/** Where a setting's value came from, in upstream's precedence order (highest first) and with its labels. */
public enum SettingSource {
    ENV("env"),
    DOTENV(".env file"),
    PREFECT_TOML("prefect.toml"),
    PYPROJECT_TOML("pyproject.toml"),
    PROFILE("profile"),
    DEFAULTS("defaults");

    private final String label;

    SettingSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
