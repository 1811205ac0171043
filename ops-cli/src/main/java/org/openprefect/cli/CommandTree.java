package org.openprefect.cli;

import org.openprefect.cli.bundle.BundleCommand;
import org.openprefect.cli.config.ConfigCommand;
import org.openprefect.cli.database.DatabaseCommand;
import org.openprefect.cli.doctor.DoctorCommand;
import org.openprefect.cli.profile.ProfileCommand;
import org.openprefect.cli.server.ClassCacheTrainingCommand;
import org.openprefect.cli.server.ServerCommand;
import org.openprefect.cli.server.ServerStartCommand;
import org.openprefect.cli.server.ServerStatusCommand;
import org.openprefect.cli.server.ServerStopCommand;
import org.openprefect.cli.server.ServicesCommand;
import picocli.CommandLine;

import java.util.List;
import java.util.Set;

/**
 * The {@code prefect} command tree, built here rather than in the commands' annotations so that
 * {@code prefect server start}, what every restart and upgrade runs, builds only its own branch:
 * picocli builds the model of every command in the tree by reflection before parsing, a quarter of
 * a second of each start (issue 19). Every other command line gets the whole tree, in this order,
 * which is the order {@code --help} lists.
 */
final class CommandTree {
    /** The root's options that take a value, as a command line may give them before the command. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--profile", "-p");

    private CommandTree() {
    }

    static CommandLine of(String... args) {
        CommandLine server = new CommandLine(new ServerCommand());
        server.addSubcommand(new ServerStartCommand());
        CommandLine root = new CommandLine(new PrefectCli());
        root.addSubcommand(server);
        if (!List.of("server", "start").equals(command(args))) {
            server.addSubcommand(new ServerStopCommand());
            server.addSubcommand(new ServerStatusCommand());
            server.addSubcommand(new DatabaseCommand());
            server.addSubcommand(new ServicesCommand());
            server.addSubcommand(new ClassCacheTrainingCommand());
            root.addSubcommand(new ConfigCommand());
            root.addSubcommand(new ProfileCommand());
            root.addSubcommand(new DoctorCommand());
            root.addSubcommand(new BundleCommand());
            root.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return root;
    }

    /** The first two words of the command line that are neither the root's options nor their values. */
    private static List<String> command(String... args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            i += OPTIONS_WITH_VALUE.contains(args[i]) ? 2 : 1;
        }
        return i + 1 < args.length ? List.of(args[i], args[i + 1]) : List.of();
    }
}
