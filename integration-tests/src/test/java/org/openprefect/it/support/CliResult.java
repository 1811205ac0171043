package org.openprefect.it.support;

/** What one run of the {@code prefect} process did. */
public record CliResult(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
