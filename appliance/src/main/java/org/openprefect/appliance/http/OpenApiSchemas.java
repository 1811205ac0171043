package org.openprefect.appliance.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.openprefect.appliance.common.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Upstream's OpenAPI document (shipped in our resources) as a validator: request bodies are checked
 * against the very component schemas upstream publishes, so required fields, types, formats and
 * the rejection of unknown fields match upstream's.
 */
public final class OpenApiSchemas {
    private static final String DOCUMENT = "classpath:openapi/openapi.json";
    private static final OpenApiSchemas INSTANCE = new OpenApiSchemas();

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    /** Every request's body walk follows its $refs: by the ref's own string (its hash kept), not by three lookups. */
    private final Map<String, JsonNode> referenced = new ConcurrentHashMap<>();

    private final JsonNode components;

    private OpenApiSchemas() {
        // The document is a whole OpenAPI file, not a bare schema: its top-level keys are not keywords.
        Logger.getLogger("com.networknt").setLevel(Level.SEVERE);
        try (InputStream in = OpenApiSchemas.class.getResourceAsStream("/openapi/openapi.json")) {
            this.components = Json.MAPPER.readTree(in).path("components").path("schemas");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The component schema as JSON, for walks the validator does not do. */
    public JsonNode component(String name) {
        return components.path(name);
    }

    /** Follows a {@code $ref} to its component; other schemas are returned as they are. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        return ref == null ? schema : referenced.computeIfAbsent(ref.asText(), r -> component(r.substring(r.lastIndexOf('/') + 1)));
    }

    public static OpenApiSchemas get() {
        return INSTANCE;
    }

    /** Problems of {@code value} against {@code #/components/schemas/NAME}; empty when valid. */
    public Set<ValidationMessage> validate(String componentName, JsonNode value) {
        return schema(componentName).validate(value);
    }

    private JsonSchema schema(String name) {
        return schemas.computeIfAbsent(name, n -> {
            JsonSchema s = factory.getSchema(SchemaLocation.of(DOCUMENT + "#/components/schemas/" + n), config);
            s.initializeValidators();
            return s;
        });
    }
}
