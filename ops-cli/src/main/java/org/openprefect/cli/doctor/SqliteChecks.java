package org.openprefect.cli.doctor;

import org.openprefect.appliance.db.DatabaseConfig;
import org.openprefect.migrations.SchemaGuards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The SQLite section: the library and the {@code sqlite3} on PATH against known limits, and the database file itself. */
final class SqliteChecks {
    static final String SECTION = "sqlite";
    static final int[] MINIMUM = {3, 24, 0};
    /** CVE-2025-6965 (memory corruption with many aggregate terms) is fixed in 3.50.2. */
    static final int[] CVE_2025_6965_FIXED = {3, 50, 2};
    private static final long LOW_DISK_BYTES = 1L << 30;
    private static final long NO_DISK_BYTES = 100L << 20;

    private SqliteChecks() {
    }

    static List<Finding> run(DatabaseConfig config) {
        List<Finding> out = new ArrayList<>();
        out.add(library());
        systemSqlite().ifPresent(out::add);
        String path = config.url().sqlitePath();
        if (path == null) {
            out.add(Finding.ok(SECTION, "file", "The database is in memory: no file to check."));
            return out;
        }
        Path file = Path.of(path).toAbsolutePath();
        if (!Files.exists(file)) {
            out.add(Finding.warn(SECTION, "file", "No database file at " + file + " yet.",
                    "It is created on first start; run `prefect server database upgrade -y` to create it now."));
            disk(file.getParent(), out);
            return out;
        }
        out.add(Finding.ok(SECTION, "file", "Database file " + file + " (" + sizeOf(file) + " bytes)."));
        if (!Files.isReadable(file) || !Files.isWritable(file) || !Files.isWritable(file.getParent())) {
            out.add(Finding.fail(SECTION, "permissions", "The server cannot read and write " + file + " and its folder.",
                    "Give the server's user read and write access to the file and its folder (SQLite writes -wal and -shm files next to it)."));
        } else {
            out.add(Finding.ok(SECTION, "permissions", "The file and its folder are readable and writable."));
        }
        disk(file.getParent(), out);
        inspect(file, out);
        return out;
    }

    private static Finding library() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return judge("library", "SQLite library used by the server", rs.getString(1), true);
        } catch (SQLException e) {
            return Finding.fail(SECTION, "library", "The SQLite library cannot be loaded: " + e.getMessage(),
                    "Check that the server may load native libraries (--enable-native-access=ALL-UNNAMED) and that /tmp is writable.");
        }
    }

    private static Optional<Finding> systemSqlite() {
        try {
            Process p = new ProcessBuilder("sqlite3", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            // The server does not use it; it matters for the sqlite3 commands operators run by hand.
            return Optional.of(judge("system-sqlite3", "sqlite3 on PATH", out.split("\\s+")[0], false));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Finding judge(String check, String what, String version, boolean usedByServer) {
        if (SchemaGuards.compareVersions(version, MINIMUM) < 0) {
            String message = what + " is " + version + ", older than 3.24.0 (no INSERT ... ON CONFLICT upserts).";
            return usedByServer ? Finding.fail(SECTION, check, message, "Use a build bundling SQLite 3.24.0 or newer.")
                    : Finding.warn(SECTION, check, message, "Install a newer sqlite3 for manual maintenance commands.");
        }
        if (SchemaGuards.compareVersions(version, CVE_2025_6965_FIXED) < 0) {
            return Finding.warn(SECTION, check, what + " is " + version + ", affected by CVE-2025-6965 (fixed in 3.50.2).",
                    "Upgrade SQLite to 3.50.2 or newer.");
        }
        return Finding.ok(SECTION, check, what + " is " + version + ".");
    }

    private static void disk(Path folder, List<Finding> out) {
        try {
            long free = Files.getFileStore(Files.exists(folder) ? folder : Path.of("/")).getUsableSpace();
            if (free < NO_DISK_BYTES) {
                out.add(Finding.fail(SECTION, "disk", "Only " + free / (1 << 20) + " MiB free where the database lives.",
                        "Free disk space: writes fail when the disk fills."));
            } else if (free < LOW_DISK_BYTES) {
                out.add(Finding.warn(SECTION, "disk", "Only " + free / (1 << 20) + " MiB free where the database lives.",
                        "Free disk space before upgrading: migrations need room for a copy of the largest table."));
            } else {
                out.add(Finding.ok(SECTION, "disk", free / (1 << 30) + " GiB free where the database lives."));
            }
        } catch (IOException e) {
            out.add(Finding.warn(SECTION, "disk", "Free disk space cannot be read: " + e.getMessage(), "Check the disk by hand (df -h)."));
        }
    }

    /** integrity_check, journal mode, and whether another process holds the write lock. */
    private static void inspect(Path file, List<Finding> out) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                out.add("ok".equals(result) ? Finding.ok(SECTION, "integrity", "PRAGMA integrity_check: ok.")
                        : Finding.fail(SECTION, "integrity", "The database file is damaged: " + result,
                        "Stop the server and restore the latest backup (prefect server database restore FILE -y)."));
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                String mode = rs.next() ? rs.getString(1) : "unknown";
                out.add("wal".equalsIgnoreCase(mode) ? Finding.ok(SECTION, "journal-mode", "Journal mode: wal.")
                        : Finding.warn(SECTION, "journal-mode", "Journal mode: " + mode + " (the server switches it to wal on start).",
                        "Start the server once, or run: sqlite3 " + file + " 'PRAGMA journal_mode=WAL'"));
            }
            try {
                s.execute("BEGIN IMMEDIATE");
                s.execute("ROLLBACK");
                out.add(Finding.ok(SECTION, "lock", "No other process holds the write lock."));
            } catch (SQLException busy) {
                out.add(Finding.warn(SECTION, "lock", "Another process holds the database's write lock right now.",
                        "If no server or migration should be running, find it with: fuser " + file));
            }
        } catch (SQLException | RuntimeException | LinkageError e) {
            out.add(Finding.fail(SECTION, "integrity", "The database file cannot be read as SQLite: " + e.getMessage(),
                    "Stop the server and restore the latest backup (prefect server database restore FILE -y)."));
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
