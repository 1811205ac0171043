package org.openprefect.cli.common;

/** Ends a command with a message on stderr and exit code 1, as upstream's {@code exit_with_error}. */
public class CliError extends RuntimeException {
    private final int exitCode;

    public CliError(String message) {
        this(message, 1);
    }

    public CliError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
