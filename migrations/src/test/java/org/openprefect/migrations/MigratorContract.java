package org.openprefect.migrations;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every migration must do on each supported database; one subclass per dialect provides connections. */
abstract class MigratorContract {
    static final String VERSION = "test-build";

    /** A new connection to the test's own, initially empty, database. */
    abstract Connection connect() throws SQLException;

    /** A new connection to a second empty database, for comparisons. */
    abstract Connection connectToAnotherDatabase() throws SQLException;

    abstract String nowSql();

    Migrator migrator(Connection c) {
        return new Migrator(c, VERSION).lockTimeout(Duration.ofSeconds(2));
    }

    @Test
    void theStartsQuickCheckAgreesWithLiquibase() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            assertEquals(m.changesetIds(), ChangelogIndex.ids(m.dialect()), "the light index reads the changelog as Liquibase does");
            assertFalse(m.isAtHead(), "an empty database");
            m.upgrade("head");
            assertTrue(m.isAtHead());
            m.downgrade("-1");
            assertFalse(m.isAtHead(), "one revision short");
            m.upgrade("head");
            assertTrue(m.isAtHead());
        }
    }

    @Test
    void upgradeDowngradeOneStepToBaseAndUpgradeAgain() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            List<Revision> before = m.history();
            assertTrue(before.stream().noneMatch(Revision::applied));
            List<String> applied = m.upgrade(null);
            assertEquals(before.stream().map(Revision::id).toList(), applied);
            String head = applied.getLast();
            assertEquals(head, m.current().orElseThrow());
            assertFalse(m.hasPending());
            List<String> headSchema = SchemaSnapshot.of(c);
            assertTrue(SchemaSnapshot.tables(c).containsAll(List.of("flow", "flow_run", "task_run", "log", "deployment",
                    "work_pool", "work_queue", "worker", "concurrency_limit_v2", "block_document", "variable", "artifact", "events")));

            List<String> one = m.downgrade(null);
            assertEquals(List.of(head), one, "no target means one step back");
            assertEquals(applied.get(applied.size() - 2), m.current().orElseThrow());

            m.downgrade("base");
            assertTrue(m.current().isEmpty());
            assertTrue(SchemaSnapshot.tables(c).stream().allMatch(t -> t.startsWith("databasechangelog")),
                    "base leaves only the bookkeeping tables: " + SchemaSnapshot.tables(c));

            m.upgrade("head");
            assertEquals(headSchema, SchemaSnapshot.of(c), "a round trip gives back the same schema");
        }
    }

    /**
     * A rollback that rebuilt an index differently would pass the round trip through base, which drops
     * everything. From the second revision on: the first one's is that round trip.
     */
    @Test
    void eachRevisionsDowngradeGivesBackTheSchemaBeforeIt() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            List<Revision> revisions = m.history();
            m.upgrade(revisions.getFirst().id());
            for (Revision revision : revisions.subList(1, revisions.size())) {
                List<String> before = SchemaSnapshot.of(c);
                m.upgrade(revision.id());
                m.downgrade("-1");
                assertEquals(before, SchemaSnapshot.of(c), "the downgrade of " + revision.id());
                m.upgrade(revision.id());
            }
        }
    }

    @Test
    void rowsSurviveUpgradesAndRoundTrips() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            m.upgrade("r0001");
            String flowId = UUID.randomUUID().toString();
            String runId = UUID.randomUUID().toString();
            exec(c, "INSERT INTO flow (id, name) VALUES ('" + flowId + "', 'etl')");
            exec(c, "INSERT INTO flow_run (id, name, flow_id, state_type, state_name) VALUES ('" + runId + "', 'brave-otter', '" + flowId + "', 'COMPLETED', 'Completed')");
            exec(c, "INSERT INTO log (id, name, level, flow_run_id, message, timestamp) VALUES ('" + UUID.randomUUID() + "', 'prefect.flow_runs', 20, '"
                    + runId + "', 'hello', " + nowSql() + ")");

            m.upgrade("head");
            assertRows(c);
            m.downgrade("r0001");
            assertRows(c);
            m.upgrade("head");
            assertRows(c);
        }
    }

    private static void assertRows(Connection c) throws SQLException {
        assertEquals("etl", scalar(c, "SELECT name FROM flow"));
        assertEquals("brave-otter|COMPLETED", scalar(c, "SELECT name || '|' || state_type FROM flow_run"));
        assertEquals("hello", scalar(c, "SELECT message FROM log"));
    }

    @Test
    void dataMigrationMovesTagLimitsAndItsDowngradeKeepsThem() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            List<Revision> revisions = m.history();
            String beforeMove = revisions.get(revisions.stream().map(Revision::id).toList().indexOf("r0005") - 1).id();
            m.upgrade(beforeMove);
            exec(c, "INSERT INTO concurrency_limit (id, tag, concurrency_limit, active_slots) VALUES ('" + UUID.randomUUID() + "', 'db', 3, '[\"a\", \"b\"]')");
            m.upgrade("r0005");
            assertEquals("tag:db|3|2", scalar(c, "SELECT name || '|' || \"limit\" || '|' || active_slots FROM concurrency_limit_v2"));
            assertEquals("0", scalar(c, "SELECT count(*) FROM concurrency_limit"));
            m.downgrade(beforeMove);
            assertEquals("db|3", scalar(c, "SELECT tag || '|' || concurrency_limit FROM concurrency_limit"));
            assertEquals("0", scalar(c, "SELECT count(*) FROM concurrency_limit_v2"));
        }
    }

    @Test
    void resetGivesTheSchemaOfAFreshUpgrade() throws Exception {
        try (Connection c = connect(); Connection fresh = connectToAnotherDatabase()) {
            Migrator m = migrator(c);
            m.upgrade("head");
            exec(c, "INSERT INTO flow (id, name) VALUES ('" + UUID.randomUUID() + "', 'x')");
            exec(c, "CREATE TABLE leftover (id INTEGER)");
            m.reset();
            assertEquals("0", scalar(c, "SELECT count(*) FROM flow"));
            migrator(fresh).upgrade("head");
            assertEquals(SchemaSnapshot.of(fresh), SchemaSnapshot.of(c));
            assertFalse(SchemaSnapshot.tables(c).contains("leftover"), "reset drops every table it finds");
        }
    }

    @Test
    void checksumDriftNamesTheEditedChangesetAndAClearedChecksumIsNotDrift() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            m.upgrade("head");
            assertEquals(List.of(), m.checksumDrift(), "a fresh upgrade matches its own changelog");
            String id = "r0002-" + m.dialect().dbms();
            // What an edited revision file looks like from the database: the stored sum no longer matches.
            exec(c, "UPDATE databasechangelog SET md5sum = '9:00000000000000000000000000000000' WHERE id = '" + id + "'");
            assertEquals(List.of(id), migrator(c).checksumDrift());
            exec(c, "UPDATE databasechangelog SET md5sum = NULL WHERE id = '" + id + "'");
            assertEquals(List.of(), migrator(c).checksumDrift(), "Liquibase recomputes a cleared checksum");
        }
    }

    @Test
    void databaseAheadOfThisBuildIsRefusedAndLeftAlone() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            m.upgrade("head");
            // What a newer build leaves behind: a revision we do not know, and its name in the configuration.
            exec(c, "INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype) VALUES "
                    + "('r9999-" + m.dialect().dbms() + "', 'openprefect', 'revisions/r9999_future.sql', " + nowSql() + ", 99, 'EXECUTED')");
            exec(c, "UPDATE configuration SET value = '{\"revision\": \"r9999\", \"version\": \"9.9.9\"}' WHERE key = 'openprefect-schema'");
            List<String> schema = SchemaSnapshot.of(c);

            MigrationException up = assertThrows(MigrationException.class, () -> m.upgrade("head"));
            assertTrue(up.getMessage().contains("revision r9999"), up.getMessage());
            assertTrue(up.getMessage().contains("9.9.9"), "names the build that wrote it: " + up.getMessage());
            assertThrows(MigrationException.class, () -> m.downgrade(null));
            assertEquals(schema, SchemaSnapshot.of(c), "nothing changed");
            assertEquals("r9999", m.current().orElseThrow());
        }
    }

    @Test
    void secondMigratorWaitsForTheLockThenGivesUpWithoutChanges() throws Exception {
        try (Connection holder = connect(); Connection second = connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(holder));
            LockService lock = Scope.child(Map.of("liquibase.analytics.enabled", false),
                    () -> LockServiceFactory.getInstance().getLockService(database));
            lock.waitForLock();
            try {
                Migrator m = migrator(second);
                MigrationLockedException e = assertThrows(MigrationLockedException.class, () -> m.upgrade("head"));
                assertTrue(e.getMessage().contains("prefect server database release-lock"), e.getMessage());
                assertTrue(m.lock().isPresent());
                assertTrue(m.current().isEmpty(), "nothing was applied");
            } finally {
                lock.releaseLock();
            }
            assertTrue(migrator(second).lock().isEmpty());
            migrator(second).upgrade("head");
        }
    }

    @Test
    void staleLockCanBeReleased() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            m.upgrade("r0001");
            exec(c, "UPDATE databasechangeloglock SET locked = " + trueLiteral() + ", lockedby = 'killed-host (10.0.0.9)' WHERE id = 1");
            assertEquals("killed-host (10.0.0.9)", m.lock().orElseThrow().lockedBy());
            assertThrows(MigrationLockedException.class, () -> m.upgrade("head"));
            assertTrue(m.releaseLock());
            assertFalse(m.releaseLock());
            m.upgrade("head");
            assertFalse(m.hasPending());
        }
    }

    @Test
    void dryRunPrintsSqlAndChangesNothing() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            String sql = m.upgradeSql("r0001");
            assertTrue(sql.contains("CREATE TABLE flow_run"), sql);
            assertFalse(sql.contains("CREATE TABLE deployment "), "stops at the target revision");
            assertTrue(m.current().isEmpty());
            m.upgrade("head");
            String down = m.downgradeSql(null);
            assertTrue(down.contains("DELETE FROM") || down.contains("DROP"), down);
            assertFalse(m.hasPending());
        }
    }

    @Test
    void stampRecordsARevisionWithoutRunningIt() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            m.upgrade("r0001");
            m.stamp("r0002");
            assertEquals("r0002", m.current().orElseThrow());
            assertFalse(SchemaSnapshot.tables(c).contains("deployment"), "stamp runs nothing");
            m.stamp("r0001");
            assertEquals("r0001", m.current().orElseThrow());
            m.upgrade("head");
            assertTrue(SchemaSnapshot.tables(c).contains("deployment"));
        }
    }

    @Test
    void badTargetsAreExplained() throws Exception {
        try (Connection c = connect()) {
            Migrator m = migrator(c);
            assertTrue(assertThrows(MigrationException.class, () -> m.upgrade("r0777")).getMessage().startsWith("Unknown revision 'r0777'"));
            m.upgrade("head");
            assertTrue(assertThrows(MigrationException.class, () -> m.upgrade("r0001")).getMessage().contains("use downgrade"));
            assertTrue(assertThrows(MigrationException.class, () -> m.downgrade("-99")).getMessage().contains("out of range"));
        }
    }

    String trueLiteral() {
        return "true";
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
