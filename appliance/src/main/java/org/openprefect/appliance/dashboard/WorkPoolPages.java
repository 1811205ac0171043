package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.workpools.WorkPoolService;

import java.util.List;

/** Work pools with their status, and a pool's queues and workers with their last poll and heartbeat. */
final class WorkPoolPages {
    /** A pool of the list. */
    record PoolRow(String name, String href, String type, String status, String statusClass, String concurrency) {
    }

    /** A queue of a pool. */
    record QueueRow(String name, int priority, String status, String statusClass, String concurrency, String lastPolled) {
    }

    /** A worker of a pool. */
    record WorkerRow(String name, String status, String statusClass, String lastHeartbeat) {
    }

    /** A pool. */
    record PoolModel(String name, String type, String description, String status, String statusClass, String concurrency,
                     List<QueueRow> queues, List<WorkerRow> workers, String runsHref) {
    }

    private final WorkPoolService workPools;
    private final String base;

    WorkPoolPages(WorkPoolService workPools, String base) {
        this.workPools = workPools;
        this.base = base;
    }

    List<PoolRow> list() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", 200);
        return workPools.listings().filter(body).stream().map(p -> new PoolRow(p.path("name").asText(),
                base + "/work-pools/work-pool/" + Links.segment(p.path("name").asText()), p.path("type").asText(), status(p),
                Display.statusClass(status(p)), limit(p.path("concurrency_limit")))).toList();
    }

    PoolModel pool(String name) {
        ObjectNode p = workPools.readPool(name).toJson();
        ObjectNode all = Json.MAPPER.createObjectNode().put("limit", 200);
        List<QueueRow> queues = workPools.queues(name, all).stream().map(q -> q.toJson()).map(q -> new QueueRow(q.path("name").asText(),
                q.path("priority").asInt(), status(q), Display.statusClass(status(q)), limit(q.path("concurrency_limit")), Display.time(q.path("last_polled"))))
                .toList();
        List<WorkerRow> workers = workPools.workers(name, all).stream().map(w -> w.toJson()).map(w -> new WorkerRow(w.path("name").asText(),
                status(w), Display.statusClass(status(w)), Display.time(w.path("last_heartbeat_time")))).toList();
        return new PoolModel(name, p.path("type").asText(), Display.text(p.path("description")), status(p), Display.statusClass(status(p)),
                limit(p.path("concurrency_limit")), queues, workers, base + "/runs?pool=" + Links.query(name));
    }

    private static String status(JsonNode resource) {
        if (resource.path("is_paused").asBoolean()) {
            return "PAUSED";
        }
        String status = Display.text(resource.path("status"));
        return status.isEmpty() ? "UNKNOWN" : status;
    }

    private static String limit(JsonNode limit) {
        return limit.isNull() || limit.isMissingNode() ? "No limit" : limit.asText();
    }
}
