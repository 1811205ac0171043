package org.openprefect.appliance.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.util.UUID;

/** {@code /concurrency_limits}: tag limits, with upstream's paths, status codes and {@code null} bodies. */
public final class TagLimitsHttpService implements HttpService {
    private final RouteTable routes;
    private final TagLimitService tags;

    public TagLimitsHttpService(RouteTable routes, TagLimitService tags) {
        this.routes = routes;
        this.tags = tags;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/concurrency_limits/", (req, res) -> {
            TagLimitService.Upserted upserted = tags.create(RequestBodies.read(req, "ConcurrencyLimitCreate"));
            Responses.json(req, res, upserted.created() ? 201 : 200, upserted.limit());
        });
        routes.post(rules, "/concurrency_limits/filter", (req, res) -> Responses.json(req, res, 200,
                tags.list(RequestBodies.read(req, "Body_read_concurrency_limits_concurrency_limits_filter_post"))));
        routes.post(rules, "/concurrency_limits/increment", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_increment_concurrency_limits_v1_concurrency_limits_increment_post");
            Responses.json(req, res, 200, tags.increment(Json.texts(body.get("names")), UUID.fromString(body.get("task_run_id").asText())));
        });
        routes.post(rules, "/concurrency_limits/decrement", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_decrement_concurrency_limits_v1_concurrency_limits_decrement_post");
            Responses.json(req, res, 200, tags.decrement(Json.texts(body.get("names")), UUID.fromString(body.get("task_run_id").asText())));
        });
        routes.get(rules, "/concurrency_limits/tag/{tag}", (req, res) -> Responses.json(req, res, 200, tags.readByTag(tag(req))));
        routes.post(rules, "/concurrency_limits/tag/{tag}/reset", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "Body_reset_concurrency_limit_by_tag_concurrency_limits_tag__tag__reset_post");
            tags.reset(tag(req), body.get("slot_override"));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
        routes.delete(rules, "/concurrency_limits/tag/{tag}", (req, res) -> {
            tags.deleteByTag(tag(req));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
        routes.get(rules, "/concurrency_limits/{id}", (req, res) -> Responses.json(req, res, 200, tags.read(PathIds.uuid(req, "id"))));
        routes.delete(rules, "/concurrency_limits/{id}", (req, res) -> {
            tags.delete(PathIds.uuid(req, "id"));
            Responses.json(req, res, 200, NullNode.getInstance());
        });
    }

    private static String tag(ServerRequest req) {
        return req.path().pathParameters().get("tag");
    }
}
