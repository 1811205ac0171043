package org.openprefect.appliance.workpools;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.util.List;

/** {@code /work_pools}, their queues and workers, and the legacy {@code /work_queues/{id}} routes, with upstream's paths and status codes. */
public final class WorkPoolsHttpService implements HttpService {
    private final RouteTable routes;
    private final WorkPoolService pools;

    public WorkPoolsHttpService(RouteTable routes, WorkPoolService pools) {
        this.routes = routes;
        this.pools = pools;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/work_pools/", (req, res) -> Responses.json(req, res, 201,
                pools.createPool(RequestBodies.read(req, "WorkPoolCreate")).toJson()));
        routes.post(rules, "/work_pools/filter", (req, res) -> Responses.json(req, res, 200,
                pools.listings().filter(RequestBodies.read(req, "Body_read_work_pools_work_pools_filter_post"))));
        routes.post(rules, "/work_pools/count", (req, res) -> Responses.json(req, res, 200,
                pools.listings().count(RequestBodies.read(req, "Body_count_work_pools_work_pools_count_post"))));
        routes.get(rules, "/work_pools/{name}", (req, res) -> Responses.json(req, res, 200, pools.readPool(param(req, "name")).toJson()));
        routes.patch(rules, "/work_pools/{name}", (req, res) -> {
            pools.updatePool(param(req, "name"), RequestBodies.read(req, "WorkPoolUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/work_pools/{name}", (req, res) -> {
            pools.deletePool(param(req, "name"));
            Responses.noContent(res);
        });

        routes.post(rules, "/work_pools/{pool}/queues", (req, res) -> Responses.json(req, res, 201,
                pools.createQueue(param(req, "pool"), RequestBodies.read(req, "WorkQueueCreate")).toJson()));
        routes.post(rules, "/work_pools/{pool}/queues/filter", (req, res) -> Responses.json(req, res, 200, json(pools.queues(param(req, "pool"),
                RequestBodies.read(req, "Body_read_work_queues_work_pools__work_pool_name__queues_filter_post")))));
        routes.get(rules, "/work_pools/{pool}/queues/{name}", (req, res) -> Responses.json(req, res, 200,
                pools.readQueue(param(req, "pool"), param(req, "name")).toJson()));
        routes.patch(rules, "/work_pools/{pool}/queues/{name}", (req, res) -> {
            pools.updateQueue(param(req, "pool"), param(req, "name"), RequestBodies.read(req, "WorkQueueUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/work_pools/{pool}/queues/{name}", (req, res) -> {
            pools.deleteQueue(param(req, "pool"), param(req, "name"));
            Responses.noContent(res);
        });

        routes.post(rules, "/work_pools/{pool}/workers/heartbeat", (req, res) -> {
            pools.heartbeat(param(req, "pool"), RequestBodies.read(req, "Body_worker_heartbeat_work_pools__work_pool_name__workers_heartbeat_post"));
            Responses.noContent(res);
        });
        routes.post(rules, "/work_pools/{pool}/workers/filter", (req, res) -> Responses.json(req, res, 200, json(pools.workers(param(req, "pool"),
                RequestBodies.read(req, "Body_read_workers_work_pools__work_pool_name__workers_filter_post")))));
        routes.delete(rules, "/work_pools/{pool}/workers/{name}", (req, res) -> {
            pools.deleteWorker(param(req, "pool"), param(req, "name"));
            Responses.noContent(res);
        });

        routes.post(rules, "/work_queues/", (req, res) -> Responses.json(req, res, 201,
                pools.createLegacyQueue(RequestBodies.read(req, "WorkQueueCreate")).toJson()));
        routes.post(rules, "/work_queues/filter", (req, res) -> Responses.json(req, res, 200,
                json(pools.allQueues(RequestBodies.read(req, "Body_read_work_queues_work_queues_filter_post")))));
        routes.get(rules, "/work_queues/name/{name}", (req, res) -> Responses.json(req, res, 200,
                pools.readLegacyQueue(param(req, "name")).toJson()));
        routes.delete(rules, "/work_queues/{id}", (req, res) -> {
            pools.deleteQueue(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
        routes.get(rules, "/work_queues/{id}", (req, res) -> Responses.json(req, res, 200, pools.readQueue(PathIds.uuid(req, "id")).toJson()));
        routes.patch(rules, "/work_queues/{id}", (req, res) -> {
            pools.updateQueue(PathIds.uuid(req, "id"), RequestBodies.read(req, "WorkQueueUpdate"));
            Responses.noContent(res);
        });
        routes.get(rules, "/work_queues/{id}/status", (req, res) -> Responses.json(req, res, 200, pools.queueStatus(PathIds.uuid(req, "id"))));
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private static List<?> json(List<? extends WireShape> shapes) {
        return shapes.stream().map(WireShape::toJson).toList();
    }
}
