package org.openprefect.appliance.settings;

/** A setting could not be read or is invalid; the message is meant for the operator as it stands. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
