package org.openprefect.appliance.workers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.flowruns.FlowRun;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /work_pools/{name}/get_scheduled_flow_runs} and the legacy {@code /work_queues/{id}/get_runs}: routes to {@link WorkerPolling}. */
public final class WorkerPollingHttpService implements HttpService {
    private static final HeaderName UI_HEADER = HeaderNames.create("X-Prefect-Ui");
    private final RouteTable routes;
    private final WorkerPolling polling;

    public WorkerPollingHttpService(RouteTable routes, WorkerPolling polling) {
        this.routes = routes;
        this.polling = polling;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/work_pools/{pool}/get_scheduled_flow_runs", (req, res) -> {
            List<ObjectNode> runs = new ArrayList<>();
            for (WorkerPolling.WorkerRun run : polling.scheduledRuns(req.path().pathParameters().get("pool"),
                    RequestBodies.read(req, "Body_get_scheduled_flow_runs_work_pools__name__get_scheduled_flow_runs_post"))) {
                ObjectNode j = JsonNodeFactory.instance.objectNode();
                j.put("work_pool_id", run.workPoolId().toString());
                j.put("work_queue_id", run.workQueueId().toString());
                j.set("flow_run", run.flowRun().toCoreJson());
                runs.add(j);
            }
            Responses.json(req, res, 200, runs);
        });
        routes.post(rules, "/work_queues/{id}/get_runs", (req, res) -> Responses.json(req, res, 200, polling.queueRuns(PathIds.uuid(req, "id"),
                RequestBodies.read(req, "Body_read_work_queue_runs_work_queues__id__get_runs_post"),
                req.headers().first(UI_HEADER).map(Boolean::parseBoolean).orElse(false)).stream().map(FlowRun::toJson).toList()));
    }
}
