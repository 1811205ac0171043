package org.openprefect.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changeset ids of this build's changelog for a dialect, read from the changelog's text
 * ({@code master.xml}'s includes and each formatted-SQL file's {@code --changeset} lines) without
 * starting Liquibase, which costs a second of class loading and parsing at every server start.
 * {@code ChangelogIndexTest} checks it finds exactly the changesets Liquibase finds.
 */
final class ChangelogIndex {
    private static final Pattern INCLUDE = Pattern.compile("<include\\s+file=\"([^\"]+)\"");
    private static final Pattern CHANGESET = Pattern.compile("(?m)^--changeset\\s+[^:\\s]+:(\\S+)(.*)$");
    private static final Pattern DBMS = Pattern.compile("\\bdbms:(\\S+)");

    private ChangelogIndex() {
    }

    /** The ids, in changelog order, of the changesets that run on {@code dialect}. */
    static List<String> ids(Dialect dialect) {
        String master = read(Migrator.CHANGELOG);
        String folder = Migrator.CHANGELOG.substring(0, Migrator.CHANGELOG.lastIndexOf('/') + 1);
        List<String> ids = new ArrayList<>();
        Matcher include = INCLUDE.matcher(master);
        while (include.find()) {
            Matcher changeset = CHANGESET.matcher(read(folder + include.group(1)));
            while (changeset.find()) {
                Matcher dbms = DBMS.matcher(changeset.group(2));
                if (!dbms.find() || List.of(dbms.group(1).split(",")).contains(dialect.dbms())) {
                    ids.add(changeset.group(1));
                }
            }
        }
        return ids;
    }

    private static String read(String resource) {
        try (InputStream in = ChangelogIndex.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(Objects.requireNonNull(in, resource + " missing from the classpath").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
