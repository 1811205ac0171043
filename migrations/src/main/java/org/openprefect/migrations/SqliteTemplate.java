package org.openprefect.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An empty SQLite database at this build's head, made by the build ({@link #main}, in the
 * migrations module's process-classes phase, by this same migrator) and copied into place when the
 * server starts on a database file that does not exist yet. Liquibase applying the changelog to an
 * empty file was 0.6–1.2 s of a first start (issue 19); the copy takes a few milliseconds, and the
 * migrator then finds the database at head as on any later start. Only the server's start on a new
 * file uses it: {@code prefect server database upgrade} and PostgreSQL run the changelog.
 */
public final class SqliteTemplate {
    static final String RESOURCE = "db/template/sqlite-head.db.gz";
    /** What the build writes for when and in which run the changesets were applied; the copy stamps its own. */
    private static final String BUILD_TIME = "2000-01-01 00:00:00";
    private static final String BUILD_DEPLOYMENT = "0000000000";

    /** Held so that its level stays set: Liquibase's INFO lines would fill the build's output. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private SqliteTemplate() {
    }

    /** The build's step: {@code SqliteTemplate <output .db.gz> <build version>}. */
    public static void main(String[] args) throws Exception {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
        Path out = Path.of(args[0]);
        Path dir = Files.createTempDirectory("openprefect-template-");
        Path db = dir.resolve("template.db");
        try {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                new Migrator(c, args[1]).upgrade("head");
                try (Statement s = c.createStatement()) {
                    // Fixed values, so that two builds of one commit make the same file.
                    s.executeUpdate("UPDATE DATABASECHANGELOG SET DATEEXECUTED = '" + BUILD_TIME + "', DEPLOYMENT_ID = '" + BUILD_DEPLOYMENT + "'");
                    s.executeUpdate("UPDATE configuration SET id = '00000000-0000-0000-0000-000000000000', created = '" + BUILD_TIME
                            + ".000000', updated = '" + BUILD_TIME + ".000000'");
                    s.execute("VACUUM");
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out))) {
                Files.copy(db, gz);
            }
        } finally {
            Files.deleteIfExists(db);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Creates {@code file} from the template when no such file exists; false, having done nothing,
     * when it exists (or appeared meanwhile: the copy is linked into place, never over a file) or
     * this build carries no template.
     */
    public static boolean createIfAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        try (InputStream resource = SqliteTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (resource == null) {
                return false;
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path copy = Files.createTempFile(dir, ".prefect-template-", ".db");
            try {
                try (InputStream in = new GZIPInputStream(resource)) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                stampAppliedNow(copy);
                return putInPlace(copy, file);
            } finally {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** The changesets were applied now, in a run of their own, as a migration of this file would record. */
    private static void stampAppliedNow(Path db) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement changelog = c.prepareStatement("UPDATE DATABASECHANGELOG SET DATEEXECUTED = datetime('now'), DEPLOYMENT_ID = ?");
             PreparedStatement writer = c.prepareStatement("UPDATE configuration SET id = ?, "
                     + "created = strftime('%Y-%m-%d %H:%M:%f000', 'now'), updated = strftime('%Y-%m-%d %H:%M:%f000', 'now')")) {
            changelog.setString(1, String.format("%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L)));
            changelog.executeUpdate();
            writer.setString(1, UUID.randomUUID().toString());
            writer.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("Cannot prepare the new database " + db + ": " + e.getMessage(), e);
        }
    }

    private static boolean putInPlace(Path copy, Path file) throws IOException {
        try {
            Files.createLink(file, copy);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            // A file system without hard links: a move, which refuses a file that exists by now.
            if (Files.exists(file)) {
                return false;
            }
            Files.move(copy, file);
            return true;
        }
    }
}
