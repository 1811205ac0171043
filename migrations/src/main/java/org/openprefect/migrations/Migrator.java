package org.openprefect.migrations;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies and inspects the schema revisions in {@code db/changelog/master.xml} on one JDBC
 * connection. Knows nothing of settings or HTTP: callers hand it a connection.
 */
public final class Migrator {
    public static final String CHANGELOG = "db/changelog/master.xml";

    private final Connection connection;

    public Migrator(Connection connection) {
        this.connection = connection;
    }

    /** Applies every pending revision. */
    public void upgradeToHead() {
        withLiquibase(liquibase -> {
            liquibase.update(new Contexts(), new LabelExpression());
            return null;
        });
    }

    /** The last applied revision id, or empty for a database without our schema. */
    public Optional<String> current() {
        List<Revision> revisions = history();
        Revision last = null;
        for (Revision r : revisions) {
            if (r.applied()) {
                last = r;
            }
        }
        return Optional.ofNullable(last).map(Revision::id);
    }

    /** Every revision this build knows, in order, each marked applied or pending. */
    public List<Revision> history() {
        return withLiquibase(liquibase -> {
            Set<String> applied = liquibase.getDatabase().getRanChangeSetList().stream()
                    .map(RanChangeSet::getId).collect(Collectors.toSet());
            List<Revision> revisions = new ArrayList<>();
            for (ChangeSet cs : liquibase.getDatabaseChangeLog().getChangeSets()) {
                revisions.add(new Revision(cs.getId(), cs.getFilePath(), applied.contains(cs.getId())));
            }
            return revisions;
        });
    }

    public boolean hasPending() {
        return history().stream().anyMatch(r -> !r.applied());
    }

    private <T> T withLiquibase(LiquibaseWork<T> work) {
        Map<String, Object> scope = new HashMap<>();
        // Liquibase prints banners and summaries to stdout by default; route them to its logger.
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        try {
            return Scope.child(scope, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(Migrator.class.getClassLoader()), database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                return work.run(liquibase);
            });
        } catch (MigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Migration failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @FunctionalInterface
    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws LiquibaseException, SQLException;
    }
}
