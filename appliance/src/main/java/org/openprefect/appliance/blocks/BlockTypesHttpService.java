package org.openprefect.appliance.blocks;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryParams;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

/** {@code /block_types}: routes to {@link BlockTypeService}, and a type's documents to {@link BlockDocumentService}. */
public final class BlockTypesHttpService implements HttpService {
    private final RouteTable routes;
    private final BlockTypeService types;
    private final BlockDocumentService documents;
    private final SystemBlockTypes systemTypes;

    public BlockTypesHttpService(RouteTable routes, BlockTypeService types, BlockDocumentService documents, SystemBlockTypes systemTypes) {
        this.routes = routes;
        this.types = types;
        this.documents = documents;
        this.systemTypes = systemTypes;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/block_types/", (req, res) -> Responses.json(req, res, 201,
                types.create(BlockTypeFields.from(RequestBodies.read(req, "BlockTypeCreate"))).toJson()));
        routes.post(rules, "/block_types/filter", (req, res) -> Responses.json(req, res, 200,
                types.filter(RequestBodies.read(req, "Body_read_block_types_block_types_filter_post")).stream().map(BlockType::toJson).toList()));
        routes.post(rules, "/block_types/install_system_block_types", (req, res) -> {
            systemTypes.install();
            Responses.json(req, res, 200, null);
        });
        routes.get(rules, "/block_types/slug/{slug}", (req, res) -> Responses.json(req, res, 200,
                types.readBySlug(req.path().pathParameters().get("slug")).toJson()));
        routes.get(rules, "/block_types/slug/{slug}/block_documents", (req, res) -> Responses.json(req, res, 200,
                documents.ofType(req.path().pathParameters().get("slug"), QueryParams.bool(req, "include_secrets", false)).stream()
                        .map(BlockDocument::toJson).toList()));
        routes.get(rules, "/block_types/slug/{slug}/block_documents/name/{block_document_name}", (req, res) -> Responses.json(req, res, 200,
                documents.readByName(req.path().pathParameters().get("slug"), req.path().pathParameters().get("block_document_name"),
                        QueryParams.bool(req, "include_secrets", false)).toJson()));
        routes.get(rules, "/block_types/{id}", (req, res) -> Responses.json(req, res, 200, types.read(PathIds.uuid(req, "id")).toJson()));
        routes.patch(rules, "/block_types/{id}", (req, res) -> {
            types.update(PathIds.uuid(req, "id"), RequestBodies.read(req, "BlockTypeUpdate"));
            Responses.noContent(res);
        });
        routes.delete(rules, "/block_types/{id}", (req, res) -> {
            types.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
    }
}
