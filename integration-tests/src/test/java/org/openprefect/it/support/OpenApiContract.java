package org.openprefect.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks response bodies against the response schemas of upstream's openapi.json (the copy the
 * project ships), with a validator of the tests' own: a response the real client would fail to
 * parse fails here.
 */
public final class OpenApiContract {
    private static final JsonNode DOCUMENT = load();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private OpenApiContract() {
    }

    private static JsonNode load() {
        Logger.getLogger("com.networknt").setLevel(Level.SEVERE);
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi/openapi.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upstream's OpenAPI document, for tests that generate requests from it. */
    public static JsonNode document() {
        return DOCUMENT;
    }

    /** Asserts that {@code body} fits the response schema of the operation {@code method path} for {@code status}. */
    public static void assertResponse(String method, String path, int status, JsonNode body) {
        JsonNode responses = DOCUMENT.path("paths").path(path).path(method.toLowerCase()).path("responses");
        if (responses.isMissingNode()) {
            throw new AssertionError("no operation " + method + " " + path + " in openapi.json");
        }
        // FastAPI documents 200 for creates that answer 201; the body schema is the same.
        String code = responses.has(Integer.toString(status)) ? Integer.toString(status) : "200";
        String pointer = "/paths/" + escape(path) + "/" + method.toLowerCase() + "/responses/" + code + "/content/application~1json/schema";
        if (DOCUMENT.at(pointer).isMissingNode()) {
            throw new AssertionError("operation " + method + " " + path + " documents no JSON body for " + code);
        }
        assertFits(pointer, body, method + " " + path);
    }

    /** Asserts that {@code body} fits {@code #/components/schemas/NAME}. */
    public static void assertComponent(String name, JsonNode body) {
        assertFits("/components/schemas/" + name, body, name);
    }

    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private static void assertFits(String pointer, JsonNode body, String what) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(pointer,
                p -> FACTORY.getSchema(SchemaLocation.of("classpath:openapi/openapi.json#" + p.replace("{", "%7B").replace("}", "%7D")), CONFIG));
        Set<ValidationMessage> problems = schema.validate(body);
        if (!problems.isEmpty()) {
            throw new AssertionError(what + " does not fit upstream's schema: " + problems + "\nbody: " + body);
        }
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
