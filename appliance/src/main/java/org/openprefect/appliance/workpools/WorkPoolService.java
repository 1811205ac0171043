package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
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

/** Work pools, their queues and their workers, as plain methods (upstream's api/workers.py and models/workers.py). */
public final class WorkPoolService {
    private static final String RESERVED = "Work pools starting with 'Prefect' are reserved for internal use.";
    /** Upstream's WorkQueueHealthPolicy defaults for a queue's status. */
    static final int MAXIMUM_LATE_RUNS = 0;
    static final int MAXIMUM_SECONDS_SINCE_LAST_POLLED = 60;

    private final Database db;
    private final WorkPoolRepository pools;
    private final Listings listings;
    private final int defaultLimit;

    public WorkPoolService(Database db, int defaultLimit) {
        this.db = db;
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
        boolean paused = body.path("is_paused").asBoolean(false);
        return db.write(c -> {
            UUID id = Ids.v4();
            boolean inserted = pools.insertPool(c, id, name, Json.text(body, "description"), body.path("type").asText("prefect-agent"),
                    Json.object(body, "base_job_template"),
                    paused, body.hasNonNull("concurrency_limit") ? body.get("concurrency_limit").asInt() : null,
                    paused ? "PAUSED" : "NOT_READY",
                    Json.object(body, "storage_configuration"));
            if (!inserted) {
                throw ApiException.detail(409, "A work pool with this name already exists.");
            }
            UUID queue = Ids.v4();
            pools.insertQueue(c, queue, id, "default", "The work pool's default queue.", false, null, 1, null);
            pools.updatePool(c, id, Map.of("default_queue_id", queue.toString()));
            return pools.poolByName(c, name);
        });
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
                boolean paused = body.get("is_paused").asBoolean();
                columns.put("is_paused", paused);
                if (paused) {
                    columns.put("status", "PAUSED");
                } else if ("PAUSED".equals(pool.status())) {
                    columns.put("status", "NOT_READY");
                }
            }
            pools.updatePool(c, pool.id(), columns);
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
            String name = body.get("name").asText();
            if (pools.queueNameTaken(c, pool.id(), name)) {
                throw ApiException.detail(409, "A work queue with this name already exists in work pool '" + poolName + "'.");
            }
            Map<UUID, Integer> current = pools.priorities(c, pool.id());
            UUID id = Ids.v4();
            pools.insertQueue(c, id, pool.id(), name, body.path("description").asText(""), body.path("is_paused").asBoolean(false),
                    body.hasNonNull("concurrency_limit") ? body.get("concurrency_limit").asInt() : null,
                    QueuePriorities.firstFree(new ArrayList<>(current.values())), body.hasNonNull("filter") ? body.get("filter") : null);
            if (body.hasNonNull("priority")) {
                reprioritise(c, pool.id(), id, body.get("priority").asInt());
            }
            return pools.queue(c, id);
        });
    }

    public WorkQueue readQueue(String poolName, String name) {
        return db.read(c -> requireQueue(c, requirePool(c, poolName), name));
    }

    public WorkQueue readQueue(UUID id) {
        return ApiException.found(db.read(c -> pools.queue(c, id)), "Work queue not found");
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
            updateQueue(c, ApiException.found(pools.queue(c, id), "Work queue not found"), body);
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
        if (body.hasNonNull("is_paused")) {
            columns.put("is_paused", body.get("is_paused").asBoolean());
            columns.put("status", body.get("is_paused").asBoolean() ? "PAUSED" : "NOT_READY");
        }
        if (body.has("filter")) {
            columns.put("filter", body.get("filter"));
        }
        if (body.hasNonNull("last_polled")) {
            columns.put("last_polled", db.dialect().timestamp(Times.parse(body.get("last_polled").asText())));
        }
        if (!columns.isEmpty()) {
            pools.updateQueue(c, queue.id(), columns);
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
            WorkQueue queue = ApiException.found(pools.queue(c, id), "Work queue not found");
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
                pools.updatePool(c, pool.id(), Map.of("status", "READY"));
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
            pools.markPoolsWithoutWorkersNotReady(c);
            return null;
        });
        db.write(c -> pools.markUnpolledQueuesNotReady(c, now.minus(queueTimeout)));
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
