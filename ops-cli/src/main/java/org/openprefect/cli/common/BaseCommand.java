package org.openprefect.cli.common;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A leaf command: reaches the shared context through the root command, returns an exit code. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected CliContext context() {
        return root().context();
    }

    protected ContextRoot root() {
        return (ContextRoot) spec.root().userObject();
    }

    protected Console console() {
        return context().console();
    }

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    protected abstract int run() throws Exception;
}
