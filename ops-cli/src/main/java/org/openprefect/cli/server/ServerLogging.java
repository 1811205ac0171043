package org.openprefect.cli.server;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Maps upstream's log level names onto java.util.logging, which Helidon and Liquibase log through. */
final class ServerLogging {
    private ServerLogging() {
    }

    static void configure(String prefectLevel, boolean echoSql) {
        Level level = switch (prefectLevel == null ? "WARNING" : prefectLevel.toUpperCase(Locale.ROOT)) {
            case "DEBUG" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "ERROR", "CRITICAL" -> Level.SEVERE;
            default -> Level.WARNING;
        };
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s - %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(level);
        root.addHandler(console);
        root.setLevel(level);
        // Liquibase narrates every changeset at INFO; its story belongs to DEBUG.
        Logger.getLogger("liquibase").setLevel(level == Level.FINE ? Level.FINE : Level.WARNING);
        if (echoSql) {
            // PREFECT_SERVER_DATABASE_ECHO shows every statement whatever the server's log level, as upstream's echo does.
            Logger sql = Logger.getLogger("org.openprefect.sql");
            Handler echo = new ConsoleHandler();
            echo.setFormatter(new SimpleFormatter());
            echo.setLevel(Level.INFO);
            sql.setLevel(Level.INFO);
            sql.setUseParentHandlers(false);
            sql.addHandler(echo);
        }
    }
}
