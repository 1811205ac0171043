package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.workpools.WorkQueue;

import java.util.List;

/** {@code /deployments}: routes to {@link DeploymentService}, with upstream's paths, body schemas and status codes. */
public final class DeploymentsHttpService implements HttpService {
    private final RouteTable routes;
    private final DeploymentService deployments;

    public DeploymentsHttpService(RouteTable routes, DeploymentService deployments) {
        this.routes = routes;
        this.deployments = deployments;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/deployments/", (req, res) -> {
            DeploymentService.Upserted upserted = deployments.create(RequestBodies.read(req, "DeploymentCreate"));
            Responses.json(req, res, upserted.created() ? 201 : 200, upserted.deployment().toJson());
        });
        routes.post(rules, "/ui/flows/count-deployments", (req, res) -> Responses.json(req, res, 200,
                deployments.countByFlow(RequestBodies.uuids(RequestBodies.parse(req), "flow_ids", 200))));
        routes.post(rules, "/deployments/filter", (req, res) -> Responses.json(req, res, 200,
                deployments.listings().filter(RequestBodies.read(req, "Body_read_deployments_deployments_filter_post"))));
        routes.post(rules, "/deployments/count", (req, res) -> Responses.json(req, res, 200,
                deployments.listings().count(RequestBodies.read(req, "Body_count_deployments_deployments_count_post"))));
        routes.post(rules, "/deployments/paginate", (req, res) -> Responses.json(req, res, 200,
                deployments.listings().paginate(RequestBodies.read(req, "Body_paginate_deployments_deployments_paginate_post"))));
        routes.post(rules, "/deployments/bulk_delete", (req, res) -> {
            var body = JsonNodeFactory.instance.objectNode();
            var deleted = body.putArray("deleted");
            deployments.bulkDelete(RequestBodies.read(req, "Body_bulk_delete_deployments_deployments_bulk_delete_post"))
                    .forEach(id -> deleted.add(id.toString()));
            Responses.json(req, res, 200, body);
        });
        routes.post(rules, "/deployments/{id}/create_flow_run/bulk", (req, res) -> {
            var body = JsonNodeFactory.instance.objectNode();
            var results = body.putArray("results");
            for (DeploymentService.BulkCreateResult r : deployments.createFlowRuns(PathIds.uuid(req, "id"),
                    RequestBodies.readArrayOf(req, "DeploymentFlowRunCreate"))) {
                results.addObject().put("flow_run_id", r.flowRunId() == null ? null : r.flowRunId().toString())
                        .put("status", r.error() == null ? "CREATED" : "FAILED").put("error", r.error());
            }
            Responses.json(req, res, 200, body);
        });
        routes.post(rules, "/deployments/get_scheduled_flow_runs", (req, res) -> Responses.json(req, res, 200, json(
                deployments.scheduledFlowRuns(RequestBodies.read(req,
                        "Body_get_scheduled_flow_runs_for_deployments_deployments_get_scheduled_flow_runs_post")))));
        routes.get(rules, "/deployments/name/{flow_name}/{deployment_name}", (req, res) -> Responses.json(req, res, 200,
                deployments.readByName(req.path().pathParameters().get("flow_name"),
                        req.path().pathParameters().get("deployment_name")).toJson()));
        routes.get(rules, "/deployments/{id}", (req, res) -> Responses.json(req, res, 200,
                deployments.read(PathIds.uuid(req, "id")).toJson()));
        routes.get(rules, "/deployments/{id}/work_queue_check", (req, res) -> Responses.json(req, res, 200,
                deployments.workQueueCheck(PathIds.uuid(req, "id")).stream().map(WorkQueue::toCoreJson).toList()));
        routes.patch(rules, "/deployments/{id}", (req, res) -> {
            deployments.update(PathIds.uuid(req, "id"), RequestBodies.read(req, "DeploymentUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/deployments/{id}", (req, res) -> {
            deployments.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
        routes.post(rules, "/deployments/{id}/create_flow_run", (req, res) -> {
            FlowRunService.Created created = deployments.createFlowRun(PathIds.uuid(req, "id"),
                    RequestBodies.read(req, "DeploymentFlowRunCreate"));
            Responses.json(req, res, created.isNew() ? 201 : 200, created.run().toJson());
        });
        routes.post(rules, "/deployments/{id}/schedule", (req, res) -> {
            deployments.schedule(PathIds.uuid(req, "id"), RequestBodies.read(req, "Body_schedule_deployment_deployments__id__schedule_post"));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
        routes.post(rules, "/deployments/{id}/pause_deployment", (req, res) -> {
            deployments.pause(PathIds.uuid(req, "id"));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
        routes.post(rules, "/deployments/{id}/resume_deployment", (req, res) -> {
            deployments.resume(PathIds.uuid(req, "id"));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
        routes.get(rules, "/deployments/{id}/schedules", (req, res) -> Responses.json(req, res, 200,
                json(deployments.schedules(PathIds.uuid(req, "id")))));
        routes.post(rules, "/deployments/{id}/schedules", (req, res) -> Responses.json(req, res, 201,
                json(deployments.createSchedules(PathIds.uuid(req, "id"), RequestBodies.readArrayOf(req, "DeploymentScheduleCreate")))));
        routes.patch(rules, "/deployments/{id}/schedules/{schedule_id}", (req, res) -> {
            deployments.updateSchedule(PathIds.uuid(req, "id"), PathIds.uuid(req, "schedule_id"),
                    RequestBodies.read(req, "DeploymentScheduleUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/deployments/{id}/schedules/{schedule_id}", (req, res) -> {
            deployments.deleteSchedule(PathIds.uuid(req, "id"), PathIds.uuid(req, "schedule_id"));
            Responses.noContent(res);
        });
    }

    private static List<?> json(List<? extends WireShape> shapes) {
        return shapes.stream().map(WireShape::toJson).toList();
    }
}
