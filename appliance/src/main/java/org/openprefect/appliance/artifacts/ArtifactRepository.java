package org.openprefect.appliance.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL of {@code artifact} and {@code artifact_collection} (the newest artifact of each key,
 * kept in step on every write as upstream keeps it). One instance lists artifacts, the other the
 * collection; both read the same filter bodies.
 */
public final class ArtifactRepository implements Filterable<Artifact> {
    private static final String FIELDS = "key, type, description, data, metadata_, flow_run_id, task_run_id";

    private final SqlDialect dialect;
    private final FilterSql filters;
    private final String table;

    private ArtifactRepository(SqlDialect dialect, String table) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
        this.table = table;
    }

    public static ArtifactRepository artifacts(SqlDialect dialect) {
        return new ArtifactRepository(dialect, "artifact");
    }

    public static ArtifactRepository latestPerKey(SqlDialect dialect) {
        return new ArtifactRepository(dialect, "artifact_collection");
    }

    public void insert(Connection c, Artifact a) throws SQLException {
        Rows.update(c, "INSERT INTO artifact (id, created, updated, " + FIELDS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Arrays.asList(a.id().toString(), dialect.timestamp(a.created()), dialect.timestamp(a.updated()), a.key(), a.type(), a.description(),
                        a.data(), a.metadata(), Rows.text(a.flowRunId()), Rows.text(a.taskRunId())));
    }

    /** Makes {@code a} its key's newest artifact, creating the key's collection entry on its first artifact. */
    public void makeLatest(Connection c, Artifact a) throws SQLException {
        Rows.update(c, "INSERT INTO artifact_collection (id, created, updated, latest_id, " + FIELDS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (key) DO UPDATE SET latest_id = excluded.latest_id, updated = excluded.updated, type = excluded.type, "
                        + "description = excluded.description, data = excluded.data, metadata_ = excluded.metadata_, "
                        + "flow_run_id = excluded.flow_run_id, task_run_id = excluded.task_run_id",
                Arrays.asList(UUID.randomUUID().toString(), dialect.timestamp(a.created()), dialect.timestamp(a.updated()), a.id().toString(), a.key(),
                        a.type(), a.description(), a.data(), a.metadata(), Rows.text(a.flowRunId()), Rows.text(a.taskRunId())));
    }

    public Artifact byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, select() + " WHERE id = ?", List.of(id.toString()), this::artifact);
    }

    /** The collection entry of a key (on the latest-per-key repository). */
    public Artifact byKey(Connection c, String key) throws SQLException {
        return Rows.queryOne(c, select() + " WHERE key = ?", List.of(key), this::artifact);
    }

    /** The newest artifact of a key other than {@code except}, or null. */
    public Artifact newestOfKey(Connection c, String key, UUID except) throws SQLException {
        return Rows.queryOne(c, "SELECT id, created, updated, " + FIELDS + " FROM artifact WHERE key = ? AND id <> ? ORDER BY created DESC LIMIT 1",
                List.of(key, except.toString()), this::artifact);
    }

    /** The columns given (data, description, metadata_) on the artifact and, where it is its key's newest, on the collection entry. */
    public boolean update(Connection c, UUID id, Map<String, ?> columns) throws SQLException {
        String now = dialect.timestamp(Times.now());
        int artifacts = Rows.updateColumns(c, "artifact", columns, now, "id = ?", List.of(id.toString()));
        int latest = Rows.updateColumns(c, "artifact_collection", columns, now, "latest_id = ?", List.of(id.toString()));
        return artifacts + latest > 0;
    }

    /** Points the key's collection entry at {@code next} (its fields and times), as upstream does when the newest is deleted. */
    public void repointLatest(Connection c, String key, Artifact next) throws SQLException {
        Rows.update(c, "UPDATE artifact_collection SET latest_id = ?, data = ?, description = ?, type = ?, created = ?, updated = ?, "
                        + "flow_run_id = ?, task_run_id = ?, metadata_ = ? WHERE key = ?",
                Arrays.asList(next.id().toString(), next.data(), next.description(), next.type(), dialect.timestamp(next.created()),
                        dialect.timestamp(next.updated()), Rows.text(next.flowRunId()), Rows.text(next.taskRunId()), next.metadata(), key));
    }

    public void deleteLatest(Connection c, String key, UUID latestId) throws SQLException {
        Rows.update(c, "DELETE FROM artifact_collection WHERE key = ? AND latest_id = ?", List.of(key, latestId.toString()));
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM artifact WHERE id = ?", List.of(id.toString())) > 0;
    }

    /**
     * The body's {@code artifacts} criteria, and its flow-run, flow, deployment and task-run filters
     * as upstream's EXISTS clauses on the artifact's runs.
     */
    @Override
    public Where where(JsonNode body) {
        Where runs = new Where().add(filters.flowRuns(body.get("flow_runs")), false)
                .exists("SELECT 1 FROM flow WHERE flow.id = flow_run.flow_id", filters.flows(body.get("flows")))
                .exists("SELECT 1 FROM deployment WHERE deployment.id = flow_run.deployment_id", filters.deployments(body.get("deployments")));
        return new Where().add(filters.artifacts(body.get("artifacts"), table), false)
                .exists("SELECT 1 FROM flow_run WHERE flow_run.id = " + table + ".flow_run_id", runs)
                .exists("SELECT 1 FROM task_run WHERE task_run.id = " + table + ".task_run_id", filters.taskRuns(body.get("task_runs")));
    }

    @Override
    public List<Artifact> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, select(), where, orderBy(sort), limit, offset, this::artifact);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM " + table + " WHERE " + where.sql(), where.params());
    }

    private String select() {
        return "SELECT id, created, updated, " + ("artifact".equals(table) ? "" : "latest_id, ") + FIELDS + " FROM " + table;
    }

    private String orderBy(String sort) {
        return switch (sort) {
            case "CREATED_DESC" -> table + ".created DESC";
            case "UPDATED_DESC" -> table + ".updated DESC";
            case "KEY_DESC" -> table + ".key DESC";
            case "KEY_ASC" -> table + ".key";
            default -> table + ".id DESC";
        };
    }

    private Artifact artifact(ResultSet rs) throws SQLException {
        UUID latestId = "artifact".equals(table) ? null : Rows.uuid(rs, "latest_id");
        Instant created = dialect.readTimestamp(rs, "created");
        return new Artifact(Rows.uuid(rs, "id"), created, dialect.readTimestamp(rs, "updated"), rs.getString("key"), latestId, rs.getString("type"),
                rs.getString("description"), Rows.json(rs, "data"), Rows.json(rs, "metadata_"), Rows.uuid(rs, "flow_run_id"),
                Rows.uuid(rs, "task_run_id"));
    }
}
