package org.openprefect.appliance.templates;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.http.Responses;
import org.openprefect.appliance.http.RouteTable;
import org.openprefect.appliance.http.ValidationErrors;

import java.util.List;
import java.util.Map;

/**
 * {@code /templates/validate} (and its deprecated twin under {@code /automations}): 204 for a
 * template upstream would accept, else 422 with {@code {"error": {"line", "message", "source"}}}.
 */
public final class TemplatesHttpService implements HttpService {
    private final RouteTable routes;

    public TemplatesHttpService(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : List.of("/templates/validate", "/automations/templates/validate")) {
            routes.post(rules, path, (req, res) -> {
                String template = template(RequestBodies.parse(req));
                UserTemplateCheck.check(template).ifPresentOrElse(
                        failure -> Responses.json(req, res, 422, Map.of("error", Map.of("line", failure.line(), "message", failure.message(),
                                "source", template))),
                        () -> Responses.noContent(res));
            });
        }
    }

    /** The body is a JSON string; none at all is the default "". */
    static String template(JsonNode body) {
        if (body.isTextual()) {
            return body.asText();
        }
        if (body.isObject() && body.isEmpty()) {
            return "";
        }
        throw new InvalidRequestException(new ValidationErrors().add("string_type", List.of("body"), "Input should be a valid string", body), body);
    }
}
