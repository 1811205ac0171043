package org.openprefect.appliance.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** {@code /v2/concurrency_limits}: global limits, slots and leases, with upstream's paths and status codes. */
public final class GlobalLimitsHttpService implements HttpService {
    /** Upstream's default lease, five minutes. */
    private static final double DEFAULT_LEASE_SECONDS = 300;

    private final RouteTable routes;
    private final ConcurrencyLimitService limits;

    public GlobalLimitsHttpService(RouteTable routes, ConcurrencyLimitService limits) {
        this.routes = routes;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/v2/concurrency_limits/", (req, res) -> Responses.json(req, res, 201,
                limits.create(RequestBodies.read(req, "ConcurrencyLimitV2Create")).toJson()));
        routes.post(rules, "/v2/concurrency_limits/filter", (req, res) -> Responses.json(req, res, 200, limits.list(
                RequestBodies.read(req, "Body_read_all_concurrency_limits_v2_v2_concurrency_limits_filter_post")).stream()
                .map(GlobalLimit::toResponseJson).toList()));
        routes.post(rules, "/v2/concurrency_limits/increment", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_bulk_increment_active_slots_v2_concurrency_limits_increment_post");
            Responses.json(req, res, 200, minimal(limits.increment(Json.texts(body.get("names")), body.get("slots").asInt(),
                    body.path("mode").asText("concurrency"), null, null).limits()));
        });
        routes.post(rules, "/v2/concurrency_limits/increment-with-lease", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_bulk_increment_active_slots_with_lease_v2_concurrency_limits_increment_with_lease_post");
            ConcurrencyLimitService.Granted granted = limits.increment(Json.texts(body.get("names")), body.get("slots").asInt(),
                    body.path("mode").asText("concurrency"), leaseDuration(body), ConcurrencyLimitService.Holder.of(body.get("holder")));
            ObjectNode answer = Json.MAPPER.createObjectNode().put("lease_id", granted.leaseId().toString());
            answer.set("limits", Json.MAPPER.valueToTree(minimal(granted.limits())));
            Responses.json(req, res, 200, answer);
        });
        routes.post(rules, "/v2/concurrency_limits/decrement", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_bulk_decrement_active_slots_v2_concurrency_limits_decrement_post");
            Responses.json(req, res, 200, minimal(limits.decrement(Json.texts(body.get("names")), body.get("slots").asInt(),
                    body.hasNonNull("occupancy_seconds") ? body.get("occupancy_seconds").asDouble() : null)));
        });
        routes.post(rules, "/v2/concurrency_limits/decrement-with-lease", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_bulk_decrement_active_slots_with_lease_v2_concurrency_limits_decrement_with_lease_post");
            limits.releaseLease(UUID.fromString(body.get("lease_id").asText()));
            Responses.noContent(res);
        });
        routes.post(rules, "/v2/concurrency_limits/leases/{lease_id}/renew", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_renew_concurrency_lease_v2_concurrency_limits_leases__lease_id__renew_post");
            limits.renewLease(PathIds.uuid(req, "lease_id"), leaseDuration(body));
            Responses.noContent(res);
        });
        routes.get(rules, "/v2/concurrency_limits/{id_or_name}", (req, res) -> Responses.json(req, res, 200,
                limits.read(param(req)).toResponseJson()));
        routes.patch(rules, "/v2/concurrency_limits/{id_or_name}", (req, res) -> {
            limits.update(param(req), RequestBodies.read(req, "ConcurrencyLimitV2Update"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/v2/concurrency_limits/{id_or_name}", (req, res) -> {
            limits.delete(param(req));
            Responses.noContent(res);
        });
    }

    private static Duration leaseDuration(JsonNode body) {
        double seconds = body.hasNonNull("lease_duration") ? body.get("lease_duration").asDouble() : DEFAULT_LEASE_SECONDS;
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static List<ObjectNode> minimal(List<GlobalLimit> list) {
        return list.stream().map(l -> l.toMinimalJson(l.name())).toList();
    }

    private static String param(ServerRequest req) {
        return req.path().pathParameters().get("id_or_name");
    }
}
