package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL of work pools, their queues and their workers. */
public final class WorkPoolRepository implements Filterable<WorkPool> {
    private static final String QUEUES = "SELECT work_queue.*, work_pool.name AS work_pool_name FROM work_queue "
            + "JOIN work_pool ON work_pool.id = work_queue.work_pool_id";

    private final SqlDialect dialect;
    private final FilterSql filters;

    public WorkPoolRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
    }

    /** A work queue as a run refers to it. */
    public record WorkQueueRef(UUID id, String name) {
    }

    public boolean workPoolExists(Connection c, String pool) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM work_pool WHERE name = ?", List.of(pool)) > 0;
    }

    /** The named queue of a pool, or the pool's default queue when {@code queue} is null; null when there is none. */
    public WorkQueueRef workQueue(Connection c, String pool, String queue) throws SQLException {
        return queue == null
                ? Rows.queryOne(c, "SELECT work_queue.id, work_queue.name FROM work_pool JOIN work_queue ON work_queue.id = work_pool.default_queue_id "
                + "WHERE work_pool.name = ?", List.of(pool), rs -> new WorkQueueRef(Rows.uuid(rs, "id"), rs.getString("name")))
                : Rows.queryOne(c, "SELECT work_queue.id, work_queue.name FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id "
                + "WHERE work_pool.name = ? AND work_queue.name = ?", List.of(pool, queue), rs -> new WorkQueueRef(Rows.uuid(rs, "id"), rs.getString("name")));
    }

    // ---- pools ---------------------------------------------------------------------------------

    /** Inserts a pool without its default queue (the caller adds it); false when the name is taken. */
    public boolean insertPool(Connection c, UUID id, String name, String description, String type, JsonNode baseJobTemplate,
                              boolean paused, Integer concurrencyLimit, String status, JsonNode storageConfiguration) throws SQLException {
        Instant now = Times.now();
        return Rows.update(c, "INSERT INTO work_pool (id, created, updated, name, description, type, base_job_template, is_paused, "
                        + "concurrency_limit, status, storage_configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING",
                Arrays.asList(id.toString(), dialect.timestamp(now), dialect.timestamp(now), name, description, type, baseJobTemplate,
                        paused, concurrencyLimit, status, storageConfiguration)) > 0;
    }

    public WorkPool poolByName(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT * FROM work_pool WHERE name = ?", List.of(name), this::pool);
    }

    public WorkPool poolById(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT * FROM work_pool WHERE id = ?", List.of(id.toString()), this::pool);
    }

    /** A status change, with the bookkeeping upstream keeps to chain its status events. */
    public void setPoolStatus(Connection c, UUID id, String status, UUID eventId, Instant at) throws SQLException {
        updatePool(c, id, Map.of("status", status, "last_status_event_id", eventId.toString(),
                "last_transitioned_status_at", dialect.timestamp(at)));
    }

    /** The pool's last status event when it happened after {@code since}, else null. */
    public UUID statusEventSince(Connection c, UUID id, Instant since) throws SQLException {
        return Rows.queryOne(c, "SELECT last_status_event_id FROM work_pool WHERE id = ? AND last_transitioned_status_at > ?",
                List.of(id.toString(), dialect.timestamp(since)), rs -> Rows.uuid(rs, "last_status_event_id"));
    }

    /** Sets the columns and {@code updated}. */
    public void updatePool(Connection c, UUID id, Map<String, Object> columns) throws SQLException {
        Rows.updateColumns(c, "work_pool", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString()));
    }

    public void deletePool(Connection c, UUID id) throws SQLException {
        // the default queue is RESTRICTed by the pool's reference to it: drop that first
        Rows.update(c, "UPDATE work_pool SET default_queue_id = NULL WHERE id = ?", List.of(id.toString()));
        Rows.update(c, "DELETE FROM work_pool WHERE id = ?", List.of(id.toString()));
    }

    @Override
    public Where where(JsonNode body) {
        return new Where().add(filters.workPools(body.path("work_pools")), false);
    }

    @Override
    public List<WorkPool> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT * FROM work_pool", where, "work_pool.name ASC, work_pool.id", limit, offset, this::pool);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM work_pool WHERE " + where.sql(), where.params());
    }

    // ---- queues --------------------------------------------------------------------------------

    public void insertQueue(Connection c, UUID id, UUID poolId, String name, String description, boolean paused, Integer concurrencyLimit,
                            int priority, JsonNode filter) throws SQLException {
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO work_queue (id, created, updated, name, description, is_paused, concurrency_limit, priority, filter, "
                        + "work_pool_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Arrays.asList(id.toString(), dialect.timestamp(now), dialect.timestamp(now), name, description, paused, concurrencyLimit,
                        priority, filter, poolId.toString()));
    }

    public boolean queueNameTaken(Connection c, UUID poolId, String name) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM work_queue WHERE work_pool_id = ? AND name = ?", List.of(poolId.toString(), name)) > 0;
    }

    public WorkQueue queue(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, QUEUES + " WHERE work_queue.id = ?", List.of(id.toString()), this::queue);
    }

    public WorkQueue queueByName(Connection c, UUID poolId, String name) throws SQLException {
        return Rows.queryOne(c, QUEUES + " WHERE work_queue.work_pool_id = ? AND work_queue.name = ?", List.of(poolId.toString(), name),
                this::queue);
    }

    /** A pool's queues by priority, filtered by a WorkQueueFilter. */
    public List<WorkQueue> queues(Connection c, UUID poolId, JsonNode queueFilter, int limit, int offset) throws SQLException {
        Where where = new Where().add("work_queue.work_pool_id = ?", poolId.toString()).add(filters.workQueues(queueFilter), false);
        return Rows.page(c, QUEUES, where, "work_queue.priority ASC, work_queue.name", limit, offset, this::queue);
    }

    /** Queues of every pool by name, filtered by a WorkQueueFilter. */
    public List<WorkQueue> allQueues(Connection c, JsonNode queueFilter, int limit, int offset) throws SQLException {
        return Rows.page(c, QUEUES, filters.workQueues(queueFilter), "work_queue.name, work_queue.id", limit, offset, this::queue);
    }

    public WorkQueue anyQueueNamed(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, QUEUES + " WHERE work_queue.name = ? ORDER BY work_queue.created LIMIT 1", List.of(name), this::queue);
    }

    /** Id to priority of every queue of a pool. */
    public Map<UUID, Integer> priorities(Connection c, UUID poolId) throws SQLException {
        Map<UUID, Integer> out = new LinkedHashMap<>();
        for (Object[] row : Rows.query(c, "SELECT id, priority FROM work_queue WHERE work_pool_id = ? ORDER BY priority, id",
                List.of(poolId.toString()), rs -> new Object[] {Rows.uuid(rs, "id"), rs.getInt("priority")})) {
            out.put((UUID) row[0], (Integer) row[1]);
        }
        return out;
    }

    public void updateQueue(Connection c, UUID id, Map<String, Object> columns) throws SQLException {
        Rows.updateColumns(c, "work_queue", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString()));
    }

    public void deleteQueue(Connection c, UUID id) throws SQLException {
        Rows.update(c, "DELETE FROM work_queue WHERE id = ?", List.of(id.toString()));
    }

    /** Scheduled runs of this queue that are overdue, for its status. */
    public long lateRuns(Connection c, UUID queueId) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run WHERE work_queue_id = ? AND state_type = 'SCHEDULED' AND state_name = 'Late'",
                List.of(queueId.toString()));
    }

    // ---- what workers poll ----------------------------------------------------------------------

    /** Runs of a pool's queues that hold a slot (upstream counts PENDING and RUNNING). */
    public long activeRunsOfPool(Connection c, UUID poolId) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run JOIN work_queue ON work_queue.id = flow_run.work_queue_id "
                + "WHERE work_queue.work_pool_id = ? AND flow_run.state_type IN ('RUNNING', 'PENDING')", List.of(poolId.toString()));
    }

    public long activeRunsOfQueue(Connection c, UUID queueId) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run WHERE work_queue_id = ? AND state_type IN ('RUNNING', 'PENDING')",
                List.of(queueId.toString()));
    }

    /** A queue's Scheduled runs a worker may take (not retrying in process), due between the bounds, soonest first. */
    public List<ScheduledRunRef> scheduledRuns(Connection c, UUID queueId, Instant after, Instant before, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(queueId.toString()));
        String bounds = "";
        if (after != null) {
            bounds += " AND next_scheduled_start_time >= ?";
            params.add(dialect.timestamp(after));
        }
        if (before != null) {
            bounds += " AND next_scheduled_start_time <= ?";
            params.add(dialect.timestamp(before));
        }
        params.add(limit);
        return Rows.query(c, "SELECT id, next_scheduled_start_time, empirical_policy FROM flow_run WHERE work_queue_id = ? "
                        + "AND state_type = 'SCHEDULED'" + bounds + " ORDER BY next_scheduled_start_time, id LIMIT ?", params,
                rs -> new ScheduledRunRef(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "next_scheduled_start_time"),
                        Rows.json(rs, "empirical_policy").path("retry_type").asText("")))
                .stream().filter(r -> !r.retryType().equals("in_process")).toList();
    }

    /** A Scheduled run as the worker query ranks it. */
    public record ScheduledRunRef(UUID id, Instant nextScheduledStartTime, String retryType) {
    }

    /** What a poll records: the queues were polled now; NOT_READY ones become READY and are returned as they were. */
    public List<WorkQueue> markQueuesPolled(Connection c, List<UUID> queueIds, Instant at) throws SQLException {
        List<WorkQueue> becomingReady = new ArrayList<>();
        for (UUID id : queueIds) {
            WorkQueue queue = queue(c, id);
            if (queue != null && "NOT_READY".equals(queue.status())) {
                becomingReady.add(queue);
            }
            Rows.update(c, "UPDATE work_queue SET last_polled = ?, status = CASE WHEN status = 'NOT_READY' THEN 'READY' ELSE status END "
                    + "WHERE id = ?", List.of(dialect.timestamp(at), id.toString()));
        }
        return becomingReady;
    }

    // ---- workers -------------------------------------------------------------------------------

    /** Upstream's worker_heartbeat: an upsert by pool and name, ONLINE now. */
    public void heartbeat(Connection c, UUID poolId, String name, Integer intervalSeconds) throws SQLException {
        Instant now = Times.now();
        List<Object> params = new ArrayList<>(Arrays.asList(Ids.v4().toString(), dialect.timestamp(now), dialect.timestamp(now),
                poolId.toString(), name, dialect.timestamp(now), intervalSeconds, "ONLINE", dialect.timestamp(now), "ONLINE",
                dialect.timestamp(now)));
        String interval = "";
        if (intervalSeconds != null) {
            interval = ", heartbeat_interval_seconds = ?";
            params.add(intervalSeconds);
        }
        Rows.update(c, "INSERT INTO worker (id, created, updated, work_pool_id, name, last_heartbeat_time, heartbeat_interval_seconds, "
                + "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (work_pool_id, name) DO UPDATE SET last_heartbeat_time = ?, "
                + "status = ?, updated = ?" + interval, params);
    }

    public List<Worker> workers(Connection c, UUID poolId, JsonNode workerFilter, int limit, int offset) throws SQLException {
        Where where = new Where().add("worker.work_pool_id = ?", poolId.toString()).add(filters.workers(workerFilter), false);
        return Rows.page(c, "SELECT * FROM worker", where, "worker.last_heartbeat_time DESC, worker.id", limit, offset, this::worker);
    }

    public boolean deleteWorker(Connection c, UUID poolId, String name) throws SQLException {
        return Rows.update(c, "DELETE FROM worker WHERE work_pool_id = ? AND name = ?", List.of(poolId.toString(), name)) > 0;
    }

    // ---- the foreman's queries -----------------------------------------------------------------

    /**
     * ONLINE workers whose last heartbeat is older than their interval (or {@code fallbackSeconds})
     * times {@code multiple} become OFFLINE; returns how many.
     */
    public int markSilentWorkersOffline(Connection c, Instant now, int multiple, int fallbackSeconds) throws SQLException {
        int marked = 0;
        for (Worker w : Rows.query(c, "SELECT * FROM worker WHERE status = 'ONLINE'", List.of(), this::worker)) {
            long allowed = (long) (w.heartbeatIntervalSeconds() == null ? fallbackSeconds : w.heartbeatIntervalSeconds()) * multiple;
            if (w.lastHeartbeatTime().plusSeconds(allowed).isBefore(now)) {
                marked += Rows.update(c, "UPDATE worker SET status = 'OFFLINE' WHERE id = ? AND status = 'ONLINE'", List.of(w.id().toString()));
            }
        }
        return marked;
    }

    /** READY pools without an ONLINE worker: the foreman makes them NOT_READY. */
    public List<WorkPool> readyPoolsWithoutOnlineWorkers(Connection c) throws SQLException {
        return Rows.query(c, "SELECT * FROM work_pool WHERE status = 'READY' AND NOT EXISTS (SELECT 1 FROM worker "
                + "WHERE worker.work_pool_id = work_pool.id AND worker.status = 'ONLINE') ORDER BY id", List.of(), this::pool);
    }

    /** READY queues nobody polled since {@code threshold}: the foreman makes them NOT_READY. */
    public List<WorkQueue> readyQueuesNotPolledSince(Connection c, Instant threshold) throws SQLException {
        return Rows.query(c, QUEUES + " WHERE work_queue.status = 'READY' AND work_queue.last_polled IS NOT NULL "
                + "AND work_queue.last_polled < ? ORDER BY work_queue.last_polled", List.of(dialect.timestamp(threshold)), this::queue);
    }

    // ---- rows ----------------------------------------------------------------------------------

    private WorkPool pool(ResultSet rs) throws SQLException {
        int limit = rs.getInt("concurrency_limit");
        Integer concurrency = rs.wasNull() ? null : limit;
        JsonNode storage = Rows.json(rs, "storage_configuration");
        ObjectNode storageConfiguration = JsonNodeFactory.instance.objectNode();
        storageConfiguration.set("bundle_upload_step", storage.path("bundle_upload_step").isMissingNode() ? null : storage.get("bundle_upload_step"));
        storageConfiguration.set("bundle_execution_step", storage.path("bundle_execution_step").isMissingNode() ? null
                : storage.get("bundle_execution_step"));
        storageConfiguration.set("default_result_storage_block_id", storage.path("default_result_storage_block_id").isMissingNode() ? null
                : storage.get("default_result_storage_block_id"));
        return new WorkPool(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getString("description"), rs.getString("type"), Rows.json(rs, "base_job_template"),
                rs.getBoolean("is_paused"), concurrency, rs.getString("status"), Rows.uuid(rs, "default_queue_id"), storageConfiguration);
    }

    private WorkQueue queue(ResultSet rs) throws SQLException {
        int limit = rs.getInt("concurrency_limit");
        Integer concurrency = rs.wasNull() ? null : limit;
        return new WorkQueue(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getString("description"), rs.getBoolean("is_paused"), concurrency, rs.getInt("priority"),
                Rows.uuid(rs, "work_pool_id"), Rows.json(rs, "filter"), dialect.readTimestamp(rs, "last_polled"),
                rs.getString("work_pool_name"), rs.getString("status"));
    }

    private Worker worker(ResultSet rs) throws SQLException {
        int interval = rs.getInt("heartbeat_interval_seconds");
        Integer heartbeat = rs.wasNull() ? null : interval;
        return new Worker(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), Rows.uuid(rs, "work_pool_id"), dialect.readTimestamp(rs, "last_heartbeat_time"), heartbeat,
                rs.getString("status"));
    }
}
