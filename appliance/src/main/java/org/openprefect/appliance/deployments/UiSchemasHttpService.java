package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.http.ValidationErrors;

import java.util.List;

/** {@code /ui/schemas/validate}: the run-deployment form's check of its values against the deployment's parameter schema. */
public final class UiSchemasHttpService implements HttpService {
    private final RouteTable routes;
    private final SchemaValuesValidation validation;

    public UiSchemasHttpService(RouteTable routes, SchemaValuesValidation validation) {
        this.routes = routes;
        this.validation = validation;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/ui/schemas/validate", (req, res) -> {
            JsonNode body = RequestBodies.parse(req);
            ValidationErrors errors = new ValidationErrors();
            for (String field : List.of("schema", "values")) {
                if (!body.has(field)) {
                    errors.missing(List.of("body", field));
                } else if (!body.get(field).isObject()) {
                    errors.add("dict_type", List.of("body", field), "Input should be a valid dictionary", body.get(field));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidRequestException(errors, body);
            }
            Responses.json(req, res, 200, validation.validate(body.get("schema"), body.get("values")));
        });
    }
}
