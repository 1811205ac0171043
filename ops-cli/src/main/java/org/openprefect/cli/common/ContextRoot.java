package org.openprefect.cli.common;

/**
 * The root command as its subcommands see it: where the shared context comes from. The root
 * implements it, so a subcommand never depends on the root class (no import loop).
 */
public interface ContextRoot {
    CliContext context();

    /** The class whose {@code main} runs this CLI, for commands that start it again in a child process. */
    default String mainClassName() {
        return getClass().getName();
    }
}
