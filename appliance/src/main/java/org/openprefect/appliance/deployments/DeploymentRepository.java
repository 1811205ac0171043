package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.concurrency.GlobalLimit;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL of deployments and their schedules. */
public final class DeploymentRepository implements Filterable<Deployment> {
    private static final String SELECT = "SELECT deployment.*, work_pool.name AS work_pool_name, gcl.created AS gcl_created, "
            + "gcl.updated AS gcl_updated, gcl.active AS gcl_active, gcl.name AS gcl_name, gcl.\"limit\" AS gcl_limit, "
            + "gcl.active_slots AS gcl_active_slots, gcl.denied_slots AS gcl_denied_slots, "
            + "gcl.slot_decay_per_second AS gcl_slot_decay_per_second, gcl.avg_slot_occupancy_seconds AS gcl_avg_slot_occupancy_seconds "
            + "FROM deployment "
            + "LEFT JOIN work_queue ON work_queue.id = deployment.work_queue_id "
            + "LEFT JOIN work_pool ON work_pool.id = work_queue.work_pool_id "
            + "LEFT JOIN concurrency_limit_v2 gcl ON gcl.id = deployment.concurrency_limit_id";

    private final SqlDialect dialect;
    private final FilterSql filters;

    public DeploymentRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
    }

    /** Inserts the deployment unless the flow has one of that name; true when it inserted. */
    public boolean insertIfAbsent(Connection c, UUID flowId, String name, ObjectNode labels, Map<String, Object> columns)
            throws SQLException {
        Instant now = Times.now();
        List<String> names = new ArrayList<>(List.of("id", "created", "updated", "name", "flow_id", "labels"));
        List<Object> values = new ArrayList<>(Arrays.asList(Ids.v4().toString(), dialect.timestamp(now), dialect.timestamp(now), name,
                flowId.toString(), labels));
        names.addAll(columns.keySet());
        values.addAll(columns.values());
        return Rows.update(c, "INSERT INTO deployment (" + String.join(", ", names) + ") VALUES (" + Where.placeholders(names.size())
                + ") ON CONFLICT (flow_id, name) DO NOTHING", values) > 0;
    }

    public UUID idOf(Connection c, UUID flowId, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT id FROM deployment WHERE flow_id = ? AND name = ?", List.of(flowId.toString(), name),
                rs -> Rows.uuid(rs, "id"));
    }

    /** Sets the given columns and {@code updated}; false when there is no such deployment. */
    public boolean update(Connection c, UUID id, Map<String, Object> columns) throws SQLException {
        return Rows.updateColumns(c, "deployment", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString())) > 0;
    }

    public Deployment byId(Connection c, UUID id) throws SQLException {
        return withSchedules(c, Rows.query(c, SELECT + " WHERE deployment.id = ?", List.of(id.toString()), this::deployment));
    }

    public Deployment byName(Connection c, String flowName, String name) throws SQLException {
        return withSchedules(c, Rows.query(c, SELECT + " JOIN flow ON flow.id = deployment.flow_id WHERE flow.name = ? AND deployment.name = ?",
                List.of(flowName, name), this::deployment));
    }

    public Map<UUID, Long> countByFlow(Connection c, List<UUID> flowIds) throws SQLException {
        Map<UUID, Long> counts = new HashMap<>();
        if (!flowIds.isEmpty()) {
            Rows.query(c, "SELECT flow_id, count(*) AS n FROM deployment WHERE flow_id IN (" + Where.placeholders(flowIds.size()) + ") GROUP BY flow_id",
                    flowIds.stream().map(UUID::toString).toList(), rs -> counts.put(Rows.uuid(rs, "flow_id"), rs.getLong("n")));
        }
        return counts;
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM deployment WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** What a runner's poll records: the deployments are READY and were polled now. */
    public void markPolled(Connection c, List<UUID> ids, Instant at) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>(List.of(dialect.timestamp(at), "READY", dialect.timestamp(at)));
        ids.forEach(id -> params.add(id.toString()));
        // updated moves too, as upstream's ORM moves it on every UPDATE (the recorded answers show it)
        Rows.update(c, "UPDATE deployment SET last_polled = ?, status = ?, updated = ? WHERE id IN (" + Where.placeholders(ids.size()) + ")",
                params);
    }

    // ---- status ---------------------------------------------------------------------------------

    /** The deployments that run from these work queues. */
    public List<UUID> ofQueues(Connection c, List<UUID> queueIds) throws SQLException {
        if (queueIds.isEmpty()) {
            return List.of();
        }
        return Rows.query(c, "SELECT id FROM deployment WHERE work_queue_id IN (" + Where.placeholders(queueIds.size()) + ")",
                queueIds.stream().map(UUID::toString).toList(), rs -> Rows.uuid(rs, "id"));
    }

    /** Which of these deployments have the status. */
    public List<UUID> withStatus(Connection c, List<UUID> ids, String status) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(status));
        ids.forEach(id -> params.add(id.toString()));
        return Rows.query(c, "SELECT id FROM deployment WHERE status = ? AND id IN (" + Where.placeholders(ids.size()) + ")", params,
                rs -> Rows.uuid(rs, "id"));
    }

    /** The foreman's query: READY deployments that neither they nor their work queue were polled since {@code threshold}. */
    public List<UUID> readyButNotPolledSince(Connection c, Instant threshold) throws SQLException {
        return Rows.query(c, "SELECT deployment.id FROM deployment LEFT JOIN work_queue ON work_queue.id = deployment.work_queue_id "
                        + "WHERE deployment.status = ? AND deployment.last_polled IS NOT NULL AND deployment.last_polled < ? "
                        + "AND (work_queue.last_polled IS NULL OR work_queue.last_polled < ?)",
                List.of("READY", dialect.timestamp(threshold), dialect.timestamp(threshold)), rs -> Rows.uuid(rs, "id"));
    }

    public void setStatus(Connection c, List<UUID> ids, String status) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>(List.of(status));
        ids.forEach(id -> params.add(id.toString()));
        Rows.update(c, "UPDATE deployment SET status = ? WHERE id IN (" + Where.placeholders(ids.size()) + ")", params);
    }

    /** What a deployment's status event names. */
    public DeploymentStatusEvent.Subject statusSubject(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT deployment.id, deployment.name, flow.id AS flow_id, flow.name AS flow_name, "
                        + "work_queue.id AS q_id, work_queue.name AS q_name, work_pool.id AS p_id, work_pool.name AS p_name, "
                        + "work_pool.type AS p_type FROM deployment JOIN flow ON flow.id = deployment.flow_id "
                        + "LEFT JOIN work_queue ON work_queue.id = deployment.work_queue_id "
                        + "LEFT JOIN work_pool ON work_pool.id = work_queue.work_pool_id WHERE deployment.id = ?", List.of(id.toString()),
                rs -> new DeploymentStatusEvent.Subject(Rows.uuid(rs, "id"), rs.getString("name"), Rows.uuid(rs, "flow_id"),
                        rs.getString("flow_name"), Rows.uuid(rs, "q_id"), rs.getString("q_name"), Rows.uuid(rs, "p_id"),
                        rs.getString("p_name"), rs.getString("p_type")));
    }

    // ---- the scheduler's queries ---------------------------------------------------------------

    private static final String ACTIVE_AND_UNPAUSED = "deployment.paused = ? AND EXISTS (SELECT 1 FROM deployment_schedule "
            + "WHERE deployment_schedule.deployment_id = deployment.id AND deployment_schedule.active = ?)";

    /**
     * The main scheduler's page of deployments (upstream's query): not paused, with an active schedule,
     * and fewer than {@code minRuns} future auto-scheduled runs or none as late as {@code horizon};
     * by id, after {@code afterId}.
     */
    public List<UUID> needingRuns(Connection c, Instant now, int minRuns, Instant horizon, int limit, UUID afterId) throws SQLException {
        List<Object> params = new ArrayList<>(List.of("SCHEDULED", dialect.timestamp(now), true, false, true));
        String after = "";
        if (afterId != null) {
            after = " AND deployment.id > ?";
            params.add(afterId.toString());
        }
        params.addAll(List.of(minRuns, dialect.timestamp(horizon), limit));
        return Rows.query(c, "SELECT deployment.id FROM deployment LEFT JOIN flow_run ON flow_run.deployment_id = deployment.id "
                + "AND flow_run.state_type = ? AND flow_run.next_scheduled_start_time >= ? AND flow_run.auto_scheduled = ? WHERE "
                + ACTIVE_AND_UNPAUSED + after + " GROUP BY deployment.id HAVING count(flow_run.next_scheduled_start_time) < ? "
                + "OR max(flow_run.next_scheduled_start_time) < ? ORDER BY deployment.id LIMIT ?", params, rs -> Rows.uuid(rs, "id"));
    }

    /** The recent-deployments scheduler's page: not paused, with an active schedule, updated since {@code since}. */
    public List<UUID> updatedSince(Connection c, Instant since, int limit, UUID afterId) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(false, true, dialect.timestamp(since)));
        String after = "";
        if (afterId != null) {
            after = " AND deployment.id > ?";
            params.add(afterId.toString());
        }
        params.add(limit);
        return Rows.query(c, "SELECT deployment.id FROM deployment WHERE " + ACTIVE_AND_UNPAUSED + " AND deployment.updated >= ?" + after
                + " ORDER BY deployment.id LIMIT ?", params, rs -> Rows.uuid(rs, "id"));
    }

    // ---- schedules -----------------------------------------------------------------------------

    public List<DeploymentSchedule> schedules(Connection c, UUID deploymentId) throws SQLException {
        return Rows.query(c, "SELECT * FROM deployment_schedule WHERE deployment_id = ? ORDER BY created, id",
                List.of(deploymentId.toString()), this::schedule);
    }

    public DeploymentSchedule schedule(Connection c, UUID deploymentId, UUID scheduleId) throws SQLException {
        return Rows.queryOne(c, "SELECT * FROM deployment_schedule WHERE deployment_id = ? AND id = ?",
                List.of(deploymentId.toString(), scheduleId.toString()), this::schedule);
    }

    public UUID insertSchedule(Connection c, UUID deploymentId, DeploymentScheduleCreate s) throws SQLException {
        UUID id = Ids.v4();
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO deployment_schedule (id, created, updated, deployment_id, schedule, active, max_scheduled_runs, "
                        + "parameters, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Arrays.asList(id.toString(), dialect.timestamp(now), dialect.timestamp(now), deploymentId.toString(), s.schedule(),
                        s.isActive(), s.maxScheduledRuns(), s.parameters(), s.slug()));
        return id;
    }

    public boolean slugTaken(Connection c, UUID deploymentId, String slug) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM deployment_schedule WHERE deployment_id = ? AND slug = ?",
                List.of(deploymentId.toString(), slug)) > 0;
    }

    /** Sets the fields of a schedule update that are present; false when there is no such schedule. */
    public boolean updateSchedule(Connection c, UUID deploymentId, UUID scheduleId, Map<String, Object> columns) throws SQLException {
        return Rows.updateColumns(c, "deployment_schedule", columns, dialect.timestamp(Times.now()), "deployment_id = ? AND id = ?",
                List.of(deploymentId.toString(), scheduleId.toString())) > 0;
    }

    public UUID scheduleIdBySlug(Connection c, UUID deploymentId, String slug) throws SQLException {
        return Rows.queryOne(c, "SELECT id FROM deployment_schedule WHERE deployment_id = ? AND slug = ?",
                List.of(deploymentId.toString(), slug), rs -> Rows.uuid(rs, "id"));
    }

    public boolean deleteSchedule(Connection c, UUID deploymentId, UUID scheduleId) throws SQLException {
        return Rows.update(c, "DELETE FROM deployment_schedule WHERE deployment_id = ? AND id = ?",
                List.of(deploymentId.toString(), scheduleId.toString())) > 0;
    }

    public void deleteSchedules(Connection c, UUID deploymentId) throws SQLException {
        Rows.update(c, "DELETE FROM deployment_schedule WHERE deployment_id = ?", List.of(deploymentId.toString()));
    }

    // ---- filters -------------------------------------------------------------------------------

    /** The filter body's conditions on deployments, including the related flows, runs and work pools. */
    @Override
    public Where where(JsonNode body) {
        Where w = new Where().add(filters.deployments(body.path("deployments")), false);
        w.exists("SELECT 1 FROM flow WHERE flow.id = deployment.flow_id", filters.flows(body.path("flows")));
        Where runs = filters.flowRuns(body.path("flow_runs"))
                .exists("SELECT 1 FROM task_run WHERE task_run.flow_run_id = flow_run.id", filters.taskRuns(body.path("task_runs")));
        w.exists("SELECT 1 FROM flow_run WHERE flow_run.deployment_id = deployment.id", runs);
        w.exists("SELECT 1 FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id "
                + "WHERE work_queue.id = deployment.work_queue_id", filters.workPools(body.path("work_pools")));
        w.exists("SELECT 1 FROM work_queue WHERE work_queue.id = deployment.work_queue_id",
                filters.workQueues(body.has("work_pool_queues") ? body.path("work_pool_queues") : body.path("work_queues")));
        return w;
    }

    @Override
    public List<Deployment> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        List<Deployment> found = Rows.page(c, SELECT, where, orderBy(sort), limit, offset, this::deployment);
        if (found.isEmpty()) {
            return found;
        }
        Map<UUID, List<DeploymentSchedule>> byDeployment = new HashMap<>();
        List<Object> ids = new ArrayList<>();
        found.forEach(d -> ids.add(d.id().toString()));
        for (DeploymentSchedule s : Rows.query(c, "SELECT * FROM deployment_schedule WHERE deployment_id IN ("
                + Where.placeholders(ids.size()) + ") ORDER BY created, id", ids, this::schedule)) {
            byDeployment.computeIfAbsent(s.deploymentId(), k -> new ArrayList<>()).add(s);
        }
        return found.stream().map(d -> d.withSchedules(byDeployment.getOrDefault(d.id(), List.of()))).toList();
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM deployment WHERE " + where.sql(), where.params());
    }

    /** Up to {@code limit} matching ids, by name (what bulk delete removes). */
    public List<UUID> ids(Connection c, Where where, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(where.params());
        params.add(limit);
        return Rows.query(c, "SELECT deployment.id FROM deployment WHERE " + where.sql() + " ORDER BY deployment.name, deployment.id LIMIT ?",
                params, rs -> Rows.uuid(rs, "id"));
    }

    private static String orderBy(String sort) {
        return switch (sort) {
            case "CREATED_DESC" -> "deployment.created DESC, deployment.id";
            case "UPDATED_DESC" -> "deployment.updated DESC, deployment.id";
            case "NAME_DESC" -> "deployment.name DESC, deployment.id";
            default -> "deployment.name ASC, deployment.id";
        };
    }

    private Deployment withSchedules(Connection c, List<Deployment> found) throws SQLException {
        return found.isEmpty() ? null : found.get(0).withSchedules(schedules(c, found.get(0).id()));
    }

    private Deployment deployment(ResultSet rs) throws SQLException {
        JsonNode pullSteps = Rows.json(rs, "pull_steps");
        UUID limitId = Rows.uuid(rs, "concurrency_limit_id");
        GlobalLimit global = limitId == null || rs.getString("gcl_name") == null ? null : new GlobalLimit(limitId,
                dialect.readTimestamp(rs, "gcl_created"), dialect.readTimestamp(rs, "gcl_updated"), rs.getBoolean("gcl_active"),
                rs.getString("gcl_name"), rs.getInt("gcl_limit"), rs.getInt("gcl_active_slots"), rs.getInt("gcl_denied_slots"),
                rs.getDouble("gcl_slot_decay_per_second"), rs.getDouble("gcl_avg_slot_occupancy_seconds"));
        return new Deployment(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getString("version"), rs.getString("description"), Rows.uuid(rs, "flow_id"),
                rs.getBoolean("paused"), List.of(), global == null ? null : limitId, global, Rows.json(rs, "concurrency_options"),
                object(rs, "infra_overrides"), object(rs, "parameters"), Json.texts(Rows.json(rs, "tags")), object(rs, "labels"),
                rs.getString("work_queue_name"), Rows.uuid(rs, "work_queue_id"), dialect.readTimestamp(rs, "last_polled"),
                Rows.json(rs, "parameter_openapi_schema"), rs.getString("path"),
                pullSteps.isNull() ? JsonNodeFactory.instance.arrayNode() : pullSteps, rs.getString("entrypoint"),
                Rows.uuid(rs, "storage_document_id"), Rows.uuid(rs, "infrastructure_document_id"), Rows.json(rs, "created_by"),
                Rows.json(rs, "updated_by"), rs.getString("work_pool_name"), rs.getString("status"), rs.getBoolean("enforce_parameter_schema"));
    }

    private DeploymentSchedule schedule(ResultSet rs) throws SQLException {
        int max = rs.getInt("max_scheduled_runs");
        Integer maxRuns = rs.wasNull() ? null : max;
        return new DeploymentSchedule(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                Rows.uuid(rs, "deployment_id"), object(rs, "schedule"), rs.getBoolean("active"), maxRuns, object(rs, "parameters"),
                rs.getString("slug"));
    }

    private static ObjectNode object(ResultSet rs, String column) throws SQLException {
        JsonNode node = Rows.json(rs, column);
        return node.isObject() ? (ObjectNode) node : JsonNodeFactory.instance.objectNode();
    }
}
