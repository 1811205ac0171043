package org.openprefect.cli.server;

import org.openprefect.cli.common.BaseCommand;
import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code prefect server services stop}: ends the background services process named in {@code services.pid}. */
@Command(name = "stop", aliases = {"stop-services", "disable"}, mixinStandardHelpOptions = true,
        description = "Stop the background services started with `prefect server services start -b`.",
        footer = {"", "Exit codes: 0 stopped or nothing to stop."})
public final class ServicesStopCommand extends BaseCommand {
    @Override
    protected int run() throws Exception {
        PidFile pidFile = PidFile.services(context().loader().home());
        if (!pidFile.exists()) {
            console().println("No services are running in the background.");
            return 0;
        }
        OptionalLong pid = pidFile.read();
        if (pid.isEmpty()) {
            pidFile.delete();
            console().println("No valid PID file found.");
            return 0;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong());
        if (process.isEmpty() || !process.get().isAlive()) {
            pidFile.delete();
            console().println("Services were not running");
            return 0;
        }
        console().println("Shutting down...");
        process.get().destroy();
        try {
            process.get().onExit().get(5, TimeUnit.SECONDS);
            console().println("✓ Services stopped");
        } catch (TimeoutException e) {
            console().warn("The services did not stop within 5 s.");
        }
        pidFile.delete();
        console().println("All services stopped.");
        return 0;
    }
}
