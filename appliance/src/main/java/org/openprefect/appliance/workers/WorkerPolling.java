package org.openprefect.appliance.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.flowruns.FlowRun;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.workpools.WorkPool;
import org.openprefect.appliance.workpools.WorkPoolRepository;
import org.openprefect.appliance.workpools.WorkPoolRepository.ScheduledRunRef;
import org.openprefect.appliance.workpools.WorkPoolService;
import org.openprefect.appliance.workpools.WorkQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * What a worker polls, {@code POST /work_pools/{name}/get_scheduled_flow_runs}: upstream's
 * get-runs-from-worker-queues query. Each queue offers its Scheduled runs, soonest first, up to its
 * free slots (its concurrency limit minus its PENDING and RUNNING runs); the pool then takes up to
 * its own free slots across them, the highest-priority queue's first and soonest first within a
 * queue (upstream's models.workers.get_scheduled_flow_runs turns respect_queue_priorities on when
 * the API leaves it unset, as it does); a paused pool or queue offers nothing. The polled queues become READY, and so
 * do the deployments that run from them.
 */
public final class WorkerPolling {
    /** Upstream's bound when there is no limit. */
    static final int NO_LIMIT = 1000;

    private final Database db;
    private final WorkPoolRepository pools;
    private final FlowRunService flowRuns;
    private final DeploymentService deployments;
    private final WorkPoolService workPools;
    private final int defaultLimit;

    public WorkerPolling(Database db, FlowRunService flowRuns, DeploymentService deployments, WorkPoolService workPools, int defaultLimit) {
        this.db = db;
        this.workPools = workPools;
        this.pools = new WorkPoolRepository(db.dialect());
        this.flowRuns = flowRuns;
        this.deployments = deployments;
        this.defaultLimit = defaultLimit;
    }

    /** One run handed to a worker: upstream's {@code WorkerFlowRunResponse}. */
    public record WorkerRun(UUID workPoolId, UUID workQueueId, FlowRun flowRun) {
    }

    public List<WorkerRun> scheduledRuns(String poolName, JsonNode body) {
        Instant before = body.hasNonNull("scheduled_before") ? Times.parse(body.get("scheduled_before").asText()) : null;
        Instant after = body.hasNonNull("scheduled_after") ? Times.parse(body.get("scheduled_after").asText()) : null;
        int limit = Paging.of(body, defaultLimit).limit();
        List<String> names = new ArrayList<>();
        body.path("work_queue_names").forEach(n -> names.add(n.asText()));
        List<Candidate> handed = db.write(c -> {
            WorkPool pool = workPools.requirePool(c, poolName);
            List<WorkQueue> queues = new ArrayList<>();
            if (names.isEmpty()) {
                queues.addAll(pools.queues(c, pool.id(), MissingNode.getInstance(), Integer.MAX_VALUE, 0));
            } else {
                for (String name : names) {
                    queues.add(workPools.requireQueue(c, pool, name));
                }
            }
            List<Candidate> offered = new ArrayList<>();
            if (!pool.isPaused()) {
                List<Candidate> candidates = new ArrayList<>();
                for (WorkQueue queue : queues) {
                    if (queue.isPaused()) {
                        continue;
                    }
                    for (ScheduledRunRef run : pools.scheduledRuns(c, queue.id(), after, before, freeSlots(c, queue, NO_LIMIT))) {
                        candidates.add(new Candidate(pool.id(), queue.id(), queue.priority(), run));
                    }
                }
                int poolSlots = pool.concurrencyLimit() == null ? NO_LIMIT
                        : (int) Math.max(0, pool.concurrencyLimit() - pools.activeRunsOfPool(c, pool.id()));
                candidates.sort(Comparator.comparingInt(Candidate::queuePriority).thenComparing(k -> k.run().nextScheduledStartTime())
                        .thenComparing(k -> k.run().id()));
                offered.addAll(candidates.subList(0, Math.min(candidates.size(), Math.min(Math.min(poolSlots, NO_LIMIT), limit))));
            }
            List<UUID> polled = queues.stream().map(WorkQueue::id).toList();
            workPools.recordPoll(c, polled, Times.now());
            deployments.markPolledThroughQueues(c, polled);
            return offered;
        });
        return handed.stream().map(k -> new WorkerRun(k.poolId(), k.queueId(), flowRuns.read(k.run().id()))).toList();
    }

    /**
     * {@code POST /work_queues/{id}/get_runs}, the legacy route: the queue's Scheduled runs up to
     * {@code limit} and its free slots, soonest first, none while it is paused. A poll unless the UI
     * asks ({@code X-Prefect-Ui: true}), which upstream does not record.
     */
    public List<FlowRun> queueRuns(UUID queueId, JsonNode body, boolean fromUi) {
        Instant before = body.hasNonNull("scheduled_before") ? Times.parse(body.get("scheduled_before").asText()) : null;
        int limit = Paging.of(body, defaultLimit).limit();
        List<UUID> ids = db.write(c -> {
            WorkQueue queue = pools.queue(c, queueId);
            if (queue == null) {
                throw ApiException.exceptionMessage(404, "Work queue with id " + queueId + " not found.");
            }
            List<UUID> runs = new ArrayList<>();
            if (!queue.isPaused()) {
                pools.scheduledRuns(c, queueId, null, before, freeSlots(c, queue, limit)).forEach(r -> runs.add(r.id()));
            }
            if (!fromUi) {
                workPools.recordPoll(c, List.of(queueId), Times.now());
                deployments.markPolledThroughQueues(c, List.of(queueId));
            }
            return runs;
        });
        return ids.stream().map(flowRuns::read).toList();
    }

    /** A queue's free slots (its limit less its PENDING and RUNNING runs), at most {@code bound}, which is also the answer without a limit. */
    private int freeSlots(Connection c, WorkQueue queue, int bound) throws SQLException {
        return queue.concurrencyLimit() == null ? bound
                : (int) Math.min(bound, Math.max(0, queue.concurrencyLimit() - pools.activeRunsOfQueue(c, queue.id())));
    }

    private record Candidate(UUID poolId, UUID queueId, int queuePriority, ScheduledRunRef run) {
    }
}
