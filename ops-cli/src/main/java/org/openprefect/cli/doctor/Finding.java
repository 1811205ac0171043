package org.openprefect.cli.doctor;

import java.util.Locale;

/**
 * One result of a check: which section and check, ok / warn / fail, what was found, and what to do.
 *
 * @param fix what the operator should do; empty when nothing needs doing
 */
public record Finding(String section, String check, Status status, String message, String fix) {

    public enum Status {
        OK, WARN, FAIL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Finding ok(String section, String check, String message) {
        return new Finding(section, check, Status.OK, message, "");
    }

    static Finding warn(String section, String check, String message, String fix) {
        return new Finding(section, check, Status.WARN, message, fix);
    }

    static Finding fail(String section, String check, String message, String fix) {
        return new Finding(section, check, Status.FAIL, message, fix);
    }
}
