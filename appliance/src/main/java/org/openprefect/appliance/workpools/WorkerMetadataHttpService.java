package org.openprefect.appliance.workpools;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code /collections/views/aggregate-worker-metadata}: the worker types and their default base job
 * templates that {@code prefect work-pool create --type} and {@code prefect worker start} read.
 * Upstream fetches it from the internet and falls back to a copy it ships; we always serve the copy,
 * as our users are often air-gapped (docs/api.md says where it comes from and how to refresh it).
 */
public final class WorkerMetadataHttpService implements HttpService {
    static final String RESOURCE = "/collections/aggregate-worker-metadata.json";

    private final RouteTable routes;
    private final byte[] metadata;

    public WorkerMetadataHttpService(RouteTable routes) {
        this.routes = routes;
        try (InputStream in = WorkerMetadataHttpService.class.getResourceAsStream(RESOURCE)) {
            this.metadata = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        routes.get(rules, "/collections/views/{view}", (req, res) -> {
            if (!"aggregate-worker-metadata".equals(req.path().pathParameters().get("view"))) {
                throw ApiException.notFound("View " + req.path().pathParameters().get("view") + " not found in registry");
            }
            Responses.send(req, res, 200, "application/json", metadata);
        });
    }
}
