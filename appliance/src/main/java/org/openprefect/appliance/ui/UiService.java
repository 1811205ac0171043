package org.openprefect.appliance.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.http.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The API reference at {@code /docs} and the OpenAPI document it is built from (the dashboard,
 * {@code dashboard.DashboardHttpService}, is the landing page).
 */
public final class UiService implements HttpService {
    private final String apiBasePath;
    private final byte[] openApi;

    public UiService(String apiBasePath) {
        this.apiBasePath = apiBasePath;
        this.openApi = readOpenApi();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/docs", this::docs);
        rules.get("/openapi.json", this::openApi);
        rules.get(apiBasePath + "/docs", this::docs);
        rules.get(apiBasePath + "/openapi.json", this::openApi);
    }

    private void docs(ServerRequest req, ServerResponse res) {
        try {
            JsonNode doc = Json.MAPPER.readTree(openApi);
            Responses.html(req, res, Pages.docs(doc, apiBasePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openApi(ServerRequest req, ServerResponse res) {
        Responses.send(req, res, 200, "application/json", openApi);
    }

    private static byte[] readOpenApi() {
        try (InputStream in = UiService.class.getResourceAsStream("/openapi/openapi.json")) {
            return Objects.requireNonNull(in, "openapi.json missing from the classpath").readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
