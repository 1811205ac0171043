package org.openprefect.appliance.artifacts;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /artifacts}: routes to {@link ArtifactService}. */
public final class ArtifactsHttpService implements HttpService {
    private final RouteTable routes;
    private final ArtifactService artifacts;

    public ArtifactsHttpService(RouteTable routes, ArtifactService artifacts) {
        this.routes = routes;
        this.artifacts = artifacts;
    }

    @Override
    public void routing(HttpRules rules) {
        // openapi.json says 200; upstream answers 201 for a new artifact (traces/blocks-variables-artifacts.jsonl), and so do we.
        routes.post(rules, "/artifacts/", (req, res) -> Responses.json(req, res, 201,
                artifacts.create(RequestBodies.read(req, "ArtifactCreate")).toJson()));
        routes.post(rules, "/artifacts/filter", (req, res) -> Responses.json(req, res, 200,
                artifacts.artifacts().filter(RequestBodies.read(req, "Body_read_artifacts_artifacts_filter_post"))));
        routes.post(rules, "/artifacts/count", (req, res) -> Responses.json(req, res, 200,
                artifacts.artifacts().count(RequestBodies.read(req, "Body_count_artifacts_artifacts_count_post"))));
        routes.post(rules, "/artifacts/latest/filter", (req, res) -> Responses.json(req, res, 200,
                artifacts.latest().filter(RequestBodies.read(req, "Body_read_latest_artifacts_artifacts_latest_filter_post"))));
        routes.post(rules, "/artifacts/latest/count", (req, res) -> Responses.json(req, res, 200,
                artifacts.latest().count(RequestBodies.read(req, "Body_count_latest_artifacts_artifacts_latest_count_post"))));
        routes.get(rules, "/artifacts/{key}/latest", (req, res) -> Responses.json(req, res, 200,
                artifacts.readLatest(req.path().pathParameters().get("key")).toJson()));
        routes.get(rules, "/artifacts/{id}", (req, res) -> Responses.json(req, res, 200, artifacts.read(PathIds.uuid(req, "id")).toJson()));
        routes.patch(rules, "/artifacts/{id}", (req, res) -> {
            artifacts.update(PathIds.uuid(req, "id"), RequestBodies.read(req, "ArtifactUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/artifacts/{id}", (req, res) -> {
            artifacts.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
