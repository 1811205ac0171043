package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.http.PathIds;
import org.openprefect.appliance.http.QueryParams;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;

import java.util.UUID;

/** {@code /block_schemas} and {@code /block_capabilities}: routes to {@link BlockSchemaService}. */
public final class BlockSchemasHttpService implements HttpService {
    private final RouteTable routes;
    private final BlockSchemaService schemas;

    public BlockSchemasHttpService(RouteTable routes, BlockSchemaService schemas) {
        this.routes = routes;
        this.schemas = schemas;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/block_schemas/", (req, res) -> {
            JsonNode body = RequestBodies.read(req, "BlockSchemaCreate");
            ObjectNode fields = body.path("fields").isObject() ? (ObjectNode) body.get("fields") : JsonNodeFactory.instance.objectNode();
            BlockSchemaService.Created created = schemas.create(fields, UUID.fromString(body.get("block_type_id").asText()),
                    Json.texts(body.get("capabilities")), body.path("version").asText("non-versioned"));
            Responses.json(req, res, created.created() ? 201 : 200, created.schema().toJson());
        });
        routes.post(rules, "/block_schemas/filter", (req, res) -> Responses.json(req, res, 200,
                schemas.filter(RequestBodies.read(req, "Body_read_block_schemas_block_schemas_filter_post")).stream()
                        .map(BlockSchema::toJson).toList()));
        routes.get(rules, "/block_schemas/checksum/{checksum}", (req, res) -> Responses.json(req, res, 200,
                schemas.readByChecksum(req.path().pathParameters().get("checksum"), QueryParams.text(req, "version")).toJson()));
        routes.get(rules, "/block_schemas/{id}", (req, res) -> Responses.json(req, res, 200, schemas.read(PathIds.uuid(req, "id")).toJson()));
        routes.delete(rules, "/block_schemas/{id}", (req, res) -> {
            schemas.delete(PathIds.uuid(req, "id"));
            Responses.noContent(res);
        });
        routes.get(rules, "/block_capabilities/", (req, res) -> Responses.json(req, res, 200, schemas.capabilities()));
    }
}
