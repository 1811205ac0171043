package org.openprefect.cli.server;

import org.openprefect.cli.common.BaseCommand;
import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code prefect server stop}: ends the background server named in the pid file. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a Prefect server running in the background.",
        footer = {"", "Exit codes: 0 stopped or nothing to stop, 1 the process could not be stopped."})
public final class ServerStopCommand extends BaseCommand {
    static final long GRACE_SECONDS = 15;

    @Override
    protected int run() throws Exception {
        PidFile pidFile = new PidFile(context().loader().home());
        if (!pidFile.exists()) {
            console().println("No server running in the background.");
            return 0;
        }
        OptionalLong pid = pidFile.read();
        Optional<ProcessHandle> process = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
        if (process.isEmpty() || !process.get().isAlive()) {
            pidFile.delete();
            console().println("The server process is not running. Cleaning up stale PID file.");
            return 0;
        }
        ProcessHandle handle = process.get();
        handle.destroy();
        try {
            handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            console().warn("The server did not stop within " + GRACE_SECONDS + " s; killing it.");
            handle.destroyForcibly();
            handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
        }
        pidFile.delete();
        console().println("Server stopped!");
        return 0;
    }
}
