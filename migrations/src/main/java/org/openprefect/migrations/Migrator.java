package org.openprefect.migrations;

import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies, rolls back and inspects the schema revisions of {@code db/changelog/master.xml} on one
 * JDBC connection. Knows nothing of settings or HTTP: callers hand it a connection.
 *
 * <p>A revision is a file holding one changeset per dialect ({@code r0002-sqlite},
 * {@code r0002-postgresql}); targets are revision ids, {@code head}, {@code base}, {@code +N} or {@code -N}.
 */
public final class Migrator {
    public static final String CHANGELOG = "db/changelog/master.xml";
    static final String WRITER_KEY = "openprefect-schema";

    private final Connection connection;
    private final Dialect dialect;
    private final String buildVersion;
    private final SchemaState state;
    private Duration lockTimeout = Duration.ofSeconds(60);
    private MigrationListener listener = MigrationListener.SILENT;
    private Map<String, List<ChangeSet>> changesets;

    public Migrator(Connection connection, String buildVersion) {
        this.connection = connection;
        this.buildVersion = buildVersion;
        this.state = new SchemaState(connection);
        try {
            this.dialect = Dialect.of(connection);
        } catch (SQLException e) {
            throw new MigrationException("Cannot read the database's metadata: " + e.getMessage(), e);
        }
    }

    /** How long to wait for another migrator's lock before giving up. */
    public Migrator lockTimeout(Duration timeout) {
        this.lockTimeout = timeout;
        return this;
    }

    public Migrator listener(MigrationListener progress) {
        this.listener = progress;
        return this;
    }

    public Dialect dialect() {
        return dialect;
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Every revision this build knows for the dialect, in order, each marked applied or pending. */
    public List<Revision> history() {
        return sql(() -> {
            Set<String> applied = Set.copyOf(state.appliedChangesets());
            Map<String, List<ChangeSet>> byRevision = changesetsByRevision();
            List<Revision> revisions = new ArrayList<>();
            byRevision.forEach((id, changesets) -> revisions.add(new Revision(id, changesets.getFirst().getComments(),
                    changesets.size(), changesets.stream().allMatch(cs -> applied.contains(cs.getId())))));
            return revisions;
        });
    }

    /** The last applied revision, or empty for a database without our schema. */
    public Optional<String> current() {
        if (isAtHead()) {
            List<String> ids = ChangelogIndex.ids(dialect);
            return ids.isEmpty() ? Optional.empty() : Optional.of(Revision.idOf(ids.getLast()));
        }
        List<Revision> revisions = history();
        Optional<String> newest = Optional.empty();
        for (Revision r : revisions) {
            if (r.applied()) {
                newest = Optional.of(r.id());
            }
        }
        List<String> unknown = unknownRevisions();
        return unknown.isEmpty() ? newest : Optional.of(unknown.getLast());
    }

    /** Revisions the database has that this build does not know: it was migrated by a newer build. */
    public List<String> unknownRevisions() {
        return sql(() -> {
            Set<String> known = changesetsByRevision().values().stream().flatMap(List::stream)
                    .map(ChangeSet::getId).collect(Collectors.toSet());
            return state.appliedChangesets().stream().filter(id -> !known.contains(id))
                    .map(Revision::idOf).distinct().toList();
        });
    }

    public boolean hasPending() {
        return history().stream().anyMatch(r -> !r.applied());
    }

    /**
     * Whether the database holds exactly this build's changesets, read without Liquibase (the
     * server's start on an existing database: a second less). False sends the caller to the full
     * path ({@link #upgrade}, {@link #hasPending}), which explains whatever else it finds.
     */
    public boolean isAtHead() {
        return sql(() -> Set.copyOf(state.appliedChangesets()).equals(Set.copyOf(ChangelogIndex.ids(dialect))));
    }

    /** The build that last migrated the database, as JSON ({"revision":..., "version":...}), if recorded. */
    public Optional<String> lastWriter() {
        return state.lastWriter();
    }

    /**
     * Applied changesets whose text differs from what ran: the checksum Liquibase stored then is not
     * the one of this build's changelog. An upgrade refuses such a database until it is resolved.
     */
    public List<String> checksumDrift() {
        Map<String, String> stored = sql(state::storedChecksums);
        return withLiquibase(lb -> {
            List<String> drifted = new ArrayList<>();
            for (List<ChangeSet> revision : changesetsByRevision().values()) {
                for (ChangeSet cs : revision) {
                    String sum = stored.get(cs.getId());
                    if (sum == null || sum.isBlank()) {
                        continue; // not applied, or cleared on purpose: Liquibase recomputes it
                    }
                    CheckSum then = CheckSum.parse(sum);
                    CheckSum now = cs.generateCheckSum(ChecksumVersion.enumFromChecksumVersion(then.getVersion()));
                    if (!now.equals(then) && !cs.isCheckSumValid(then)) {
                        drifted.add(cs.getId());
                    }
                }
            }
            return drifted;
        });
    }

    /** Who holds the migration lock, if anyone does. */
    public Optional<MigrationLock> lock() {
        return sql(() -> state.lock().filter(SchemaState.Lock::locked)
                .map(l -> new MigrationLock(l.lockedBy(), l.granted() == null ? null : l.granted().toInstant())));
    }

    /** Clears a lock left by a migrator that died; returns whether there was one. */
    public boolean releaseLock() {
        return sql(() -> {
            boolean held = state.lock().map(SchemaState.Lock::locked).orElse(false);
            state.releaseLock();
            return held;
        });
    }

    // ---- changing ------------------------------------------------------------------------------

    /** Applies the revisions up to {@code target} (default head); returns the ids applied. */
    public List<String> upgrade(String target) {
        Plan plan = planUpgrade(target);
        if (!plan.revisions().isEmpty()) {
            requireUsableDatabase(true);
            awaitLock();
            withLiquibase(lb -> {
                lb.update(plan.changesets(), new Contexts(), new LabelExpression());
                return null;
            });
            recordWriter();
        }
        return plan.revisions();
    }

    /** The SQL {@link #upgrade} would run, without running it. */
    public String upgradeSql(String target) {
        Plan plan = planUpgrade(target);
        StringWriter out = new StringWriter();
        if (!plan.revisions().isEmpty()) {
            withLiquibase(lb -> {
                lb.update(plan.changesets(), new Contexts(), new LabelExpression(), out);
                return null;
            }, MigrationListener.SILENT);
        }
        return out.toString();
    }

    /** Rolls back to {@code target} (default one step back, never everything); returns the ids rolled back. */
    public List<String> downgrade(String target) {
        Plan plan = planDowngrade(target);
        if (!plan.revisions().isEmpty()) {
            requireUsableDatabase(false);
            awaitLock();
            withLiquibase(lb -> {
                lb.rollback(plan.changesets(), null, new Contexts(), new LabelExpression());
                return null;
            });
            recordWriter();
        }
        return plan.revisions();
    }

    public String downgradeSql(String target) {
        Plan plan = planDowngrade(target);
        StringWriter out = new StringWriter();
        if (!plan.revisions().isEmpty()) {
            withLiquibase(lb -> {
                lb.rollback(plan.changesets(), null, new Contexts(), new LabelExpression(), out);
                return null;
            }, MigrationListener.SILENT);
        }
        return out.toString();
    }

    /** Records {@code target} as the current revision without running any migration. */
    public void stamp(String target) {
        requireKnownRevisions();
        awaitLock();
        List<Revision> revisions = history();
        int position = appliedCount(revisions);
        int goal = resolve(target, revisions, position);
        withLiquibase(lb -> {
            Map<String, List<ChangeSet>> byRevision = changesetsByRevision();
            Set<String> ran = Set.copyOf(state.appliedChangesets());
            for (int i = 0; i < revisions.size(); i++) {
                for (ChangeSet cs : byRevision.get(revisions.get(i).id())) {
                    if (i < goal && !ran.contains(cs.getId())) {
                        lb.getDatabase().markChangeSetExecStatus(cs, ChangeSet.ExecType.EXECUTED);
                    } else if (i >= goal && ran.contains(cs.getId())) {
                        lb.getDatabase().removeRanStatus(cs);
                    }
                }
            }
            return null;
        });
        recordWriter();
    }

    /** Drops every table in the database (ours, Liquibase's, anything else) and upgrades to head. */
    public List<String> reset() {
        awaitLock();
        sql(() -> {
            new SchemaReset(connection, dialect).dropAllTables();
            return null;
        });
        return upgrade("head");
    }

    // ---- planning ------------------------------------------------------------------------------

    private record Plan(List<String> revisions, int changesets) {
    }

    private Plan planUpgrade(String target) {
        requireKnownRevisions();
        List<Revision> revisions = history();
        int position = appliedCount(revisions);
        int goal = resolve(target == null ? "head" : target, revisions, position);
        if (goal < position) {
            throw new MigrationException("Revision " + revisions.get(goal - 1).id() + " is behind the current revision "
                    + revisions.get(position - 1).id() + ": use downgrade to go back.");
        }
        List<Revision> chosen = revisions.subList(position, goal);
        return new Plan(chosen.stream().map(Revision::id).toList(), chosen.stream().mapToInt(Revision::changesets).sum());
    }

    private Plan planDowngrade(String target) {
        requireKnownRevisions();
        List<Revision> revisions = history();
        int position = appliedCount(revisions);
        int goal = resolve(target == null ? "-1" : target, revisions, position);
        if (goal > position) {
            throw new MigrationException("Revision " + revisions.get(goal - 1).id() + " is ahead of the current revision"
                    + (position == 0 ? " (none)" : " " + revisions.get(position - 1).id()) + ": use upgrade to go forward.");
        }
        List<Revision> chosen = new ArrayList<>(revisions.subList(goal, position));
        Collections.reverse(chosen);
        return new Plan(chosen.stream().map(Revision::id).toList(), chosen.stream().mapToInt(Revision::changesets).sum());
    }

    /** Applied revisions form a prefix of the list; a gap means a hand-edited changelog table. */
    private static int appliedCount(List<Revision> revisions) {
        int count = 0;
        for (Revision r : revisions) {
            if (!r.applied()) {
                break;
            }
            count++;
        }
        for (int i = count; i < revisions.size(); i++) {
            if (revisions.get(i).applied()) {
                throw new MigrationException("Revision " + revisions.get(i).id() + " is applied but " + revisions.get(count).id()
                        + " before it is not. Stamp the database at the revision its schema really has: "
                        + "prefect server database stamp REVISION.");
            }
        }
        return count;
    }

    /** A target as a count of applied revisions: 0 is base, size is head. */
    static int resolve(String target, List<Revision> revisions, int position) {
        String t = target.strip();
        int goal;
        if (t.equals("head")) {
            goal = revisions.size();
        } else if (t.equals("base")) {
            goal = 0;
        } else if (t.matches("[+-]\\d+")) {
            goal = position + Integer.parseInt(t);
        } else {
            goal = -1;
            for (int i = 0; i < revisions.size(); i++) {
                if (revisions.get(i).id().equals(t)) {
                    goal = i + 1;
                }
            }
            if (goal < 0) {
                throw new MigrationException("Unknown revision '" + t + "'. Known revisions: "
                        + revisions.stream().map(Revision::id).collect(Collectors.joining(", ")) + " (or head, base, +N, -N).");
            }
        }
        if (goal < 0 || goal > revisions.size()) {
            throw new MigrationException("Revision '" + t + "' is out of range: the database is at "
                    + (position == 0 ? "base" : revisions.get(position - 1).id()) + " and this build knows "
                    + revisions.size() + " revisions.");
        }
        return goal;
    }

    // ---- guards --------------------------------------------------------------------------------

    /**
     * Refuses a database this build must not touch: one a newer build migrated (named with the
     * version that wrote it), or one upstream's alembic created. Nothing is changed either way.
     */
    public void requireKnownRevisions() {
        List<String> unknown = unknownRevisions();
        if (unknown.isEmpty()) {
            sql(() -> {
                SchemaGuards.refuseAlembicDatabase(state, state.appliedChangesets());
                return null;
            });
            return;
        }
        String writer = state.lastWriter().map(w -> " It was last migrated by " + w + ".").orElse("");
        throw new MigrationException("The database is at revision " + unknown.getLast() + ", which this build (OpenPrefect "
                + buildVersion + ") does not know: a newer build migrated it." + writer
                + " Run that newer build, or restore the backup taken before the upgrade. Nothing was changed.");
    }

    private void requireUsableDatabase(boolean upgrading) {
        sql(() -> {
            if (dialect == Dialect.SQLITE) {
                SchemaGuards.requireUsableSqlite(connection);
            } else if (upgrading) {
                SchemaGuards.requirePgTrgm(connection);
            }
            return null;
        });
    }

    private void awaitLock() {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        while (true) {
            Optional<MigrationLock> held = lock();
            if (held.isEmpty()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new MigrationLockedException("Another migration holds the lock on this database (" + held.get().describe()
                        + "); waited " + lockTimeout.toSeconds() + " s. If no migration is running (one was killed), clear the lock with "
                        + "`prefect server database release-lock -y` and try again. Nothing was changed.");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException("Interrupted while waiting for the migration lock.");
            }
        }
    }

    private void recordWriter() {
        sql(() -> {
            if (!state.tableExists("configuration")) {
                return null;
            }
            String value = "{\"revision\": \"" + current().orElse("base") + "\", \"version\": \"" + buildVersion + "\"}";
            String upsert = dialect == Dialect.POSTGRESQL
                    ? "INSERT INTO configuration (id, key, value) VALUES (CAST(? AS UUID), ?, CAST(? AS JSONB)) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = now()"
                    : "INSERT INTO configuration (id, key, value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = strftime('%Y-%m-%d %H:%M:%f000', 'now')";
            try (PreparedStatement ps = connection.prepareStatement(upsert)) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, WRITER_KEY);
                ps.setString(3, value);
                ps.executeUpdate();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return null;
        });
    }

    // ---- Liquibase -----------------------------------------------------------------------------

    /** The changelog's changesets for our dialect, grouped by revision; parsed once per migrator. */
    /** The ids of the changesets Liquibase finds for this dialect, in order (what {@link ChangelogIndex} must agree with). */
    List<String> changesetIds() {
        return changesetsByRevision().values().stream().flatMap(List::stream).map(ChangeSet::getId).toList();
    }

    private Map<String, List<ChangeSet>> changesetsByRevision() {
        if (changesets == null) {
            changesets = parseChangesets();
        }
        return changesets;
    }

    private Map<String, List<ChangeSet>> parseChangesets() {
        return withLiquibase(lb -> {
            Map<String, List<ChangeSet>> byRevision = new LinkedHashMap<>();
            DatabaseChangeLog changelog = lb.getDatabaseChangeLog();
            for (ChangeSet cs : changelog.getChangeSets()) {
                if (cs.getDbmsSet() == null || cs.getDbmsSet().contains(dialect.dbms())) {
                    byRevision.computeIfAbsent(Revision.idOf(cs.getId()), k -> new ArrayList<>()).add(cs);
                }
            }
            return byRevision;
        });
    }

    /**
     * Runs Liquibase work, then hands the connection back as it was: Liquibase turns auto-commit
     * off, and an idle open transaction would pin an old snapshot (SQLite WAL) or hold locks.
     */
    private <T> T withLiquibase(LiquibaseWork<T> work) {
        return withLiquibase(work, listener);
    }

    private <T> T withLiquibase(LiquibaseWork<T> work, MigrationListener progress) {
        boolean autoCommit = sql(connection::getAutoCommit);
        boolean ok = false;
        try {
            T result = runLiquibase(work, progress);
            ok = true;
            return result;
        } finally {
            endTransaction(autoCommit, ok);
        }
    }

    private void endTransaction(boolean autoCommit, boolean commit) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
            }
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new MigrationException("Database error: " + e.getMessage(), e);
        }
    }

    private <T> T runLiquibase(LiquibaseWork<T> work, MigrationListener progress) {
        Map<String, Object> scope = new HashMap<>();
        // Liquibase prints banners and summaries to stdout by default, and may phone home; neither here.
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        scope.put("liquibase.analytics.enabled", false);
        scope.put("liquibase.changelogLockWaitTimeInMinutes", 1L);
        try {
            return Scope.child(scope, () -> {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(Migrator.class.getClassLoader()), database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                liquibase.setChangeExecListener(new ProgressListener(progress));
                return work.run(liquibase);
            });
        } catch (MigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Migration failed: " + rootMessage(e), e);
        }
    }

    private <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new MigrationException("Database error: " + e.getMessage(), e);
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

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Turns Liquibase's per-changeset callbacks into per-revision progress. */
    private static final class ProgressListener extends AbstractChangeExecListener {
        private final MigrationListener listener;

        ProgressListener(MigrationListener listener) {
            this.listener = listener;
        }

        @Override
        public void willRun(ChangeSet changeSet, DatabaseChangeLog log, Database database, ChangeSet.RunStatus runStatus) {
            listener.applying(Revision.idOf(changeSet.getId()), changeSet.getComments());
        }

        @Override
        public void willRollback(ChangeSet changeSet, DatabaseChangeLog log, Database database) {
            listener.rollingBack(Revision.idOf(changeSet.getId()), changeSet.getComments());
        }
    }
}
