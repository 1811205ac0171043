package org.openprefect.appliance.blocks;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryParams;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /block_documents}: routes to {@link BlockDocumentService}. */
public final class BlockDocumentsHttpService implements HttpService {
    private final RouteTable routes;
    private final BlockDocumentService documents;

    public BlockDocumentsHttpService(RouteTable routes, BlockDocumentService documents) {
        this.routes = routes;
        this.documents = documents;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/block_documents/", (req, res) -> Responses.json(req, res, 201,
                documents.create(RequestBodies.read(req, "BlockDocumentCreate")).toJson()));
        routes.post(rules, "/block_documents/filter", (req, res) -> Responses.json(req, res, 200,
                documents.filter(RequestBodies.read(req, "Body_read_block_documents_block_documents_filter_post")).stream()
                        .map(BlockDocument::toJson).toList()));
        routes.post(rules, "/block_documents/count", (req, res) -> Responses.json(req, res, 200,
                documents.count(RequestBodies.read(req, "Body_count_block_documents_block_documents_count_post"))));
        routes.get(rules, "/block_documents/{id}", (req, res) -> Responses.json(req, res, 200,
                documents.read(PathIds.uuid(req, "id"), QueryParams.bool(req, "include_secrets", false)).toJson()));
        routes.patch(rules, "/block_documents/{id}", (req, res) -> {
            documents.update(PathIds.uuid(req, "id"), RequestBodies.read(req, "BlockDocumentUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/block_documents/{id}", (req, res) -> {
            documents.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
