package org.openprefect.appliance.settings;

/** A value that does not fit its setting's type or bounds; {@link #problem()} reads like pydantic's message. */
public class InvalidSettingException extends SettingsException {
    private final String settingName;
    private final String problem;

    public InvalidSettingException(String settingName, String problem) {
        super("Validation error(s) for setting " + settingName + "\n\n - " + problem);
        this.settingName = settingName;
        this.problem = problem;
    }

    public String settingName() {
        return settingName;
    }

    public String problem() {
        return problem;
    }
}
