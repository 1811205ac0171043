package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.AfterCommit;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Work pools, their queues and their workers, as plain methods (upstream's api/workers.py and models/workers.py). */
public final class WorkPoolService {
    private static final String RESERVED = "Work pools starting with 'Prefect' are reserved for internal use.";
    /** Upstream's WorkQueueHealthPolicy defaults for a queue's status. */
    static final int MAXIMUM_LATE_RUNS = 0;
    static final int MAXIMUM_SECONDS_SINCE_LAST_POLLED = 60;
    /** Where the legacy {@code /work_queues/} routes keep queues that name no pool (upstream's DEFAULT_AGENT_WORK_POOL_NAME). */
    public static final String DEFAULT_AGENT_POOL = "default-agent-pool";
    private static final String LEGACY_NOT_FOUND = "work queue not found";
    /** A pool's status event follows its previous one when that came this recently (upstream's rule). */
    private static final Duration STATUS_EVENTS_CHAIN = Duration.ofMinutes(10);
    private static final JsonNode ONLINE = JsonNodeFactory.instance.objectNode().set("status",
            JsonNodeFactory.instance.objectNode().set("any_", JsonNodeFactory.instance.arrayNode().add("ONLINE")));

    private final Database db;
    private final WorkPoolRepository pools;
    private final Listings listings;
    private final int defaultLimit;
    private final Consumer<Event> emitEvent;

    /** @param emitEvent where the pools' and queues' status events go, after their transaction commits */
    public WorkPoolService(Database db, int defaultLimit, Consumer<Event> emitEvent) {
        this.db = db;
        this.emitEvent = emitEvent;
        this.pools = new WorkPoolRepository(db.dialect());
        this.defaultLimit = defaultLimit;
        this.listings = new Listings(db, pools, "NAME_ASC", defaultLimit);
    }

    // ---- pools ---------------------------------------------------------------------------------

    /** {@code POST /work_pools/}: the pool and its {@code default} queue; PAUSED or NOT_READY to begin with. */
    public WorkPool createPool(JsonNode body) {
        String name = body.get("name").asText();
        if (name.toLowerCase().startsWith("prefect")) {
            throw ApiException.detail(403, RESERVED);
        }
        BaseJobTemplates.check(body.get("base_job_template"), body);
        return db.write(c -> {
            if (!insertPool(c, name, body)) {
                throw ApiException.detail(409, "A work pool with this name already exists.");
            }
            WorkPool pool = pools.poolByName(c, name);
            Instant now = Times.now();
            emitAfterCommit(WorkPoolStatusEvents.pool(pool, pool.status(), Ids.v7(now), now, null));
            return pool;
        });
    }

    /** The pool and its {@code default} queue; false when the name is taken. */
    private boolean insertPool(Connection c, String name, JsonNode body) throws SQLException {
        boolean paused = body.path("is_paused").asBoolean(false);
        UUID id = Ids.v4();
        boolean inserted = pools.insertPool(c, id, name, Json.text(body, "description"), body.path("type").asText("prefect-agent"),
                Json.object(body, "base_job_template"),
                paused, body.hasNonNull("concurrency_limit") ? body.get("concurrency_limit").asInt() : null,
                paused ? "PAUSED" : "NOT_READY",
                Json.object(body, "storage_configuration"));
        if (inserted) {
            UUID queue = Ids.v4();
            pools.insertQueue(c, queue, id, "default", "The work pool's default queue.", false, null, 1, null);
            pools.updatePool(c, id, Map.of("default_queue_id", queue.toString()));
        }
        return inserted;
    }

    public WorkPool readPool(String name) {
        return db.read(c -> requirePool(c, name));
    }

    /** {@code PATCH /work_pools/{name}}: the fields sent; pausing makes it PAUSED, resuming NOT_READY until a worker beats. */
    public void updatePool(String name, JsonNode body) {
        if (name.toLowerCase().startsWith("prefect") && body.properties().stream()
                .anyMatch(e -> !e.getKey().equals("is_paused") && !e.getKey().equals("concurrency_limit"))) {
            throw ApiException.detail(403, "Work pools starting with 'Prefect' are reserved for internal use and can only be updated "
                    + "to set concurrency limits or pause.");
        }
        BaseJobTemplates.check(body.get("base_job_template"), body);
        db.write(c -> {
            WorkPool pool = requirePool(c, name);
            Map<String, Object> columns = new LinkedHashMap<>();
            if (body.has("description")) {
                columns.put("description", Json.text(body, "description"));
            }
            if (body.path("base_job_template").isObject()) {
                columns.put("base_job_template", body.get("base_job_template"));
            }
            if (body.has("concurrency_limit")) {
                columns.put("concurrency_limit", body.get("concurrency_limit").isNull() ? null : body.get("concurrency_limit").asInt());
            }
            if (body.path("storage_configuration").isObject()) {
                columns.put("storage_configuration", body.get("storage_configuration"));
            }
            if (body.hasNonNull("is_paused")) {
                columns.put("is_paused", body.get("is_paused").asBoolean());
            }
            if (!columns.isEmpty()) {
                pools.updatePool(c, pool.id(), columns);
            }
            // Upstream re-derives the status on every is_paused it is sent, but never for the agents' pool type.
            if (body.hasNonNull("is_paused") && !pool.type().equals("prefect-agent")) {
                setPoolStatus(c, pool, body.get("is_paused").asBoolean() ? "PAUSED"
                        : pools.workers(c, pool.id(), ONLINE, 1, 0).isEmpty() ? "NOT_READY" : "READY");
            }
            return null;
        });
    }

    public void deletePool(String name) {
        if (name.toLowerCase().startsWith("prefect")) {
            throw ApiException.detail(403, "Work pools starting with 'Prefect' are reserved for internal use and can not be deleted.");
        }
        db.write(c -> {
            pools.deletePool(c, requirePool(c, name).id());
            return null;
        });
    }

    /** {@code /work_pools/filter} and {@code /count}. */
    public Listings listings() {
        return listings;
    }

    // ---- queues --------------------------------------------------------------------------------

    /** {@code POST /work_pools/{name}/queues}: the first free priority unless one is asked for, which then moves the others up. */
    public WorkQueue createQueue(String poolName, JsonNode body) {
        return db.write(c -> {
            WorkPool pool = requirePool(c, poolName);
            if (pools.queueNameTaken(c, pool.id(), body.get("name").asText())) {
                throw ApiException.detail(409, "A work queue with this name already exists in work pool '" + poolName + "'.");
            }
            return insertQueue(c, pool.id(), body);
        });
    }

    /**
     * {@code POST /work_queues/}, the legacy route: a queue of {@value #DEFAULT_AGENT_POOL}, the pool
     * made on first use as upstream makes it (whose own {@code default} queue answers a request for one).
     */
    public WorkQueue createLegacyQueue(JsonNode body) {
        return db.write(c -> {
            String name = body.get("name").asText();
            WorkPool pool = pools.poolByName(c, DEFAULT_AGENT_POOL);
            if (pool == null) {
                pool = defaultAgentPool(c);
                if (name.equals("default")) {
                    return pools.queue(c, pool.defaultQueueId());
                }
            }
            if (pools.queueNameTaken(c, pool.id(), name)) {
                throw ApiException.detail(409, "A work queue with this name already exists.");
            }
            return insertQueue(c, pool.id(), body);
        });
    }

    /** The pool's queue of that name, made at the first free priority when missing: what a deployment or its run names. */
    public WorkQueue queueOrCreate(Connection c, WorkPool pool, String name) throws SQLException {
        WorkQueue queue = pools.queueByName(c, pool.id(), name);
        return queue != null ? queue : insertQueue(c, pool.id(), JsonNodeFactory.instance.objectNode().put("name", name));
    }

    /**
     * Upstream's ensure_work_queue_exists, for a queue named without a pool: the queue of
     * {@value #DEFAULT_AGENT_POOL} (or of any pool while that one does not exist), else made in it
     * at priority 1.
     */
    public WorkQueue legacyQueueOrCreate(Connection c, String name) throws SQLException {
        WorkQueue queue = legacyQueue(c, name);
        if (queue != null) {
            return queue;
        }
        WorkPool pool = pools.poolByName(c, DEFAULT_AGENT_POOL);
        if (pool == null) {
            pool = defaultAgentPool(c);
            if (name.equals("default")) {
                return pools.queue(c, pool.defaultQueueId());
            }
        }
        return insertQueue(c, pool.id(), JsonNodeFactory.instance.objectNode().put("name", name).put("priority", 1));
    }

    private WorkPool defaultAgentPool(Connection c) throws SQLException {
        insertPool(c, DEFAULT_AGENT_POOL, JsonNodeFactory.instance.objectNode().put("type", "prefect-agent"));
        return pools.poolByName(c, DEFAULT_AGENT_POOL);
    }

    private WorkQueue insertQueue(Connection c, UUID poolId, JsonNode body) throws SQLException {
        Map<UUID, Integer> current = pools.priorities(c, poolId);
        UUID id = Ids.v4();
        pools.insertQueue(c, id, poolId, body.get("name").asText(), body.path("description").asText(""), body.path("is_paused").asBoolean(false),
                body.hasNonNull("concurrency_limit") ? body.get("concurrency_limit").asInt() : null,
                QueuePriorities.firstFree(new ArrayList<>(current.values())), body.hasNonNull("filter") ? body.get("filter") : null);
        if (body.hasNonNull("priority")) {
            reprioritise(c, poolId, id, body.get("priority").asInt());
        }
        return pools.queue(c, id);
    }

    public WorkQueue readQueue(String poolName, String name) {
        return db.read(c -> requireQueue(c, requirePool(c, poolName), name));
    }

    public WorkQueue readQueue(UUID id) {
        return ApiException.found(db.read(c -> pools.queue(c, id)), LEGACY_NOT_FOUND);
    }

    /** {@code GET /work_queues/name/{name}}: a queue of {@value #DEFAULT_AGENT_POOL}, or of any pool while that pool does not exist. */
    public WorkQueue readLegacyQueue(String name) {
        return ApiException.found(db.read(c -> legacyQueue(c, name)), LEGACY_NOT_FOUND);
    }

    /** Upstream's read_work_queue_by_name: in {@value #DEFAULT_AGENT_POOL}, or in any pool while that one does not exist. */
    private WorkQueue legacyQueue(Connection c, String name) throws SQLException {
        WorkPool pool = pools.poolByName(c, DEFAULT_AGENT_POOL);
        return pool == null ? pools.anyQueueNamed(c, name) : pools.queueByName(c, pool.id(), name);
    }

    /** {@code POST /work_queues/filter}: queues of every pool, by name. */
    public List<WorkQueue> allQueues(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> pools.allQueues(c, body.path("work_queues"), paging.limit(), paging.offset()));
    }

    /**
     * The queues whose legacy tag filter takes a deployment's runs: the filter's tags all among the
     * deployment's, its deployment ids empty or naming it. Queues without a filter never match, as in
     * upstream's SQL, where their NULL filter fails every comparison.
     */
    public List<WorkQueue> legacyQueuesTaking(UUID deploymentId, List<String> tags) {
        return db.read(c -> pools.allQueues(c, MissingNode.getInstance(), Integer.MAX_VALUE, 0)).stream()
                .filter(q -> q.filter() != null && q.filter().isObject())
                .filter(q -> tags.containsAll(Json.texts(q.filter().get("tags"))))
                .filter(q -> {
                    List<String> ids = Json.texts(q.filter().get("deployment_ids"));
                    return ids.isEmpty() || ids.contains(deploymentId.toString());
                }).toList();
    }

    /** {@code DELETE /work_queues/{id}}; a pool's default queue stays, as through the pool's own route. */
    public void deleteQueue(UUID id) {
        db.write(c -> {
            WorkQueue queue = ApiException.found(pools.queue(c, id), LEGACY_NOT_FOUND);
            WorkPool pool = requirePool(c, queue.workPoolName());
            if (queue.id().equals(pool.defaultQueueId())) {
                throw ApiException.detail(400, "Cannot delete a work pool's default queue.");
            }
            pools.deleteQueue(c, id);
            return null;
        });
    }

    public List<WorkQueue> queues(String poolName, JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> pools.queues(c, requirePool(c, poolName).id(), body.path("work_queues"), paging.limit(), paging.offset()));
    }

    public void updateQueue(String poolName, String name, JsonNode body) {
        db.write(c -> {
            updateQueue(c, requireQueue(c, requirePool(c, poolName), name), body);
            return null;
        });
    }

    /** {@code PATCH /work_queues/{id}}, the legacy route the worker and the CLI use. */
    public void updateQueue(UUID id, JsonNode body) {
        db.write(c -> {
            updateQueue(c, ApiException.found(pools.queue(c, id), "Work Queue " + id + " not found"), body);
            return null;
        });
    }

    private void updateQueue(Connection c, WorkQueue queue, JsonNode body) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (String field : List.of("name", "description")) {
            if (body.hasNonNull(field)) {
                columns.put(field, body.get(field).asText());
            }
        }
        if (body.has("concurrency_limit")) {
            columns.put("concurrency_limit", body.get("concurrency_limit").isNull() ? null : body.get("concurrency_limit").asInt());
        }
        Instant lastPolled = body.hasNonNull("last_polled") ? Times.parse(body.get("last_polled").asText()) : queue.lastPolled();
        String status = null;
        if (body.hasNonNull("is_paused")) {
            boolean paused = body.get("is_paused").asBoolean();
            columns.put("is_paused", paused);
            if (paused && !"PAUSED".equals(queue.status())) {
                status = "PAUSED";
            } else if (!paused && "PAUSED".equals(queue.status())) {
                status = lastPolled != null && Duration.between(lastPolled, Times.now()).getSeconds() <= MAXIMUM_SECONDS_SINCE_LAST_POLLED
                        ? "READY" : "NOT_READY";
            }
        }
        if (status != null) {
            columns.put("status", status);
        }
        if (body.has("filter")) {
            columns.put("filter", body.get("filter"));
        }
        if (body.hasNonNull("last_polled")) {
            columns.put("last_polled", db.dialect().timestamp(lastPolled));
        }
        if (!columns.isEmpty()) {
            pools.updateQueue(c, queue.id(), columns);
        }
        if (status != null) {
            announceQueue(c, queue, status);
        }
        if (body.hasNonNull("priority")) {
            reprioritise(c, queue.workPoolId(), queue.id(), body.get("priority").asInt());
        }
    }

    private void reprioritise(Connection c, UUID poolId, UUID queueId, int priority) throws SQLException {
        for (Map.Entry<UUID, Integer> change : QueuePriorities.afterMoving(pools.priorities(c, poolId), queueId, priority).entrySet()) {
            pools.updateQueue(c, change.getKey(), Map.of("priority", change.getValue()));
        }
    }

    public void deleteQueue(String poolName, String name) {
        db.write(c -> {
            WorkPool pool = requirePool(c, poolName);
            WorkQueue queue = requireQueue(c, pool, name);
            if (queue.id().equals(pool.defaultQueueId())) {
                throw ApiException.detail(400, "Cannot delete a work pool's default queue.");
            }
            pools.deleteQueue(c, queue.id());
            return null;
        });
    }

    /** {@code GET /work_queues/{id}/status}: healthy when polled within a minute and no run is late, upstream's default policy. */
    public ObjectNode queueStatus(UUID id) {
        return db.read(c -> {
            WorkQueue queue = ApiException.found(pools.queue(c, id), LEGACY_NOT_FOUND);
            long late = pools.lateRuns(c, id);
            Instant polled = queue.lastPolled();
            boolean recent = polled != null && Duration.between(polled, Times.now()).getSeconds() <= MAXIMUM_SECONDS_SINCE_LAST_POLLED;
            ObjectNode status = JsonNodeFactory.instance.objectNode();
            status.put("healthy", recent && late <= MAXIMUM_LATE_RUNS);
            status.put("late_runs_count", late);
            status.put("last_polled", Times.iso(polled));
            status.putObject("health_check_policy").put("maximum_late_runs", MAXIMUM_LATE_RUNS)
                    .put("maximum_seconds_since_last_polled", MAXIMUM_SECONDS_SINCE_LAST_POLLED);
            return status;
        });
    }

    // ---- workers -------------------------------------------------------------------------------

    /** {@code POST /work_pools/{name}/workers/heartbeat}: the worker is ONLINE; a NOT_READY pool becomes READY. */
    public void heartbeat(String poolName, JsonNode body) {
        db.write(c -> {
            WorkPool pool = requirePool(c, poolName);
            pools.heartbeat(c, pool.id(), body.get("name").asText(),
                    body.hasNonNull("heartbeat_interval_seconds") ? body.get("heartbeat_interval_seconds").asInt() : null);
            if ("NOT_READY".equals(pool.status())) {
                setPoolStatus(c, pool, "READY");
            }
            return null;
        });
    }

    public List<Worker> workers(String poolName, JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> pools.workers(c, requirePool(c, poolName).id(), body.path("workers"), paging.limit(), paging.offset()));
    }

    public void deleteWorker(String poolName, String name) {
        db.write(c -> {
            if (!pools.deleteWorker(c, requirePool(c, poolName).id(), name)) {
                throw ApiException.notFound("Worker not found.");
            }
            return null;
        });
    }

    // ---- the foreman ---------------------------------------------------------------------------

    /**
     * The foreman's pass over workers, pools and queues (upstream's order): silent workers go
     * OFFLINE, READY pools left without an ONLINE worker NOT_READY, READY queues nobody polled for
     * {@code queueTimeout} NOT_READY.
     */
    public void superviseWorkers(int heartbeatMultiple, int fallbackHeartbeatSeconds, Duration queueTimeout) {
        Instant now = Times.now();
        db.write(c -> {
            pools.markSilentWorkersOffline(c, now, heartbeatMultiple, fallbackHeartbeatSeconds);
            for (WorkPool pool : pools.readyPoolsWithoutOnlineWorkers(c)) {
                setPoolStatus(c, pool, "NOT_READY");
            }
            return null;
        });
        db.write(c -> {
            for (WorkQueue queue : pools.readyQueuesNotPolledSince(c, now.minus(queueTimeout))) {
                pools.updateQueue(c, queue.id(), Map.of("status", "NOT_READY"));
                announceQueue(c, queue, "NOT_READY");
            }
            return null;
        });
    }

    /** What a worker's poll records: the queues were polled now; NOT_READY ones become READY. */
    public void recordPoll(Connection c, List<UUID> queueIds, Instant at) throws SQLException {
        for (WorkQueue queue : pools.markQueuesPolled(c, queueIds, at)) {
            announceQueue(c, queue, "READY");
        }
    }

    // ---- status events -------------------------------------------------------------------------

    private void setPoolStatus(Connection c, WorkPool pool, String status) throws SQLException {
        Instant now = Times.now();
        UUID eventId = Ids.v7(now);
        UUID follows = pools.statusEventSince(c, pool.id(), now.minus(STATUS_EVENTS_CHAIN));
        pools.setPoolStatus(c, pool.id(), status, eventId, now);
        emitAfterCommit(WorkPoolStatusEvents.pool(pool, status, eventId, now, follows));
    }

    private void announceQueue(Connection c, WorkQueue queue, String status) throws SQLException {
        WorkPool pool = pools.poolById(c, queue.workPoolId());
        emitAfterCommit(WorkPoolStatusEvents.queue(queue, status, pool, Times.now()));
    }

    private void emitAfterCommit(Event event) {
        AfterCommit.run(() -> emitEvent.accept(event));
    }

    /** The pool of that name, or null; inside the caller's transaction. */
    public WorkPool findPool(Connection c, String name) throws SQLException {
        return pools.poolByName(c, name);
    }

    public WorkQueue defaultQueue(Connection c, WorkPool pool) throws SQLException {
        return pools.queue(c, pool.defaultQueueId());
    }

    /** The pool of that name, or upstream's 404; inside the caller's transaction. */
    public WorkPool requirePool(Connection c, String name) throws SQLException {
        return ApiException.found(pools.poolByName(c, name), "Work pool \"" + name + "\" not found.");
    }

    /** The pool's queue of that name, or upstream's 404; inside the caller's transaction. */
    public WorkQueue requireQueue(Connection c, WorkPool pool, String name) throws SQLException {
        return ApiException.found(pools.queueByName(c, pool.id(), name), "Work pool queue '" + pool.name() + "/" + name + "' not found.");
    }
}
