package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * A deployment's {@code parameter_openapi_schema} as upstream applies it to a run's parameters
 * (JSON Schema 2020-12, the flow function's signature); the first problem is reported the way
 * upstream words it: "Validation failed for field 'times'. Failure reason: ...".
 */
final class ParameterSchema {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private ParameterSchema() {
    }

    /** The first problem of {@code parameters}, or empty when they conform. */
    static Optional<String> problem(JsonNode schema, JsonNode parameters) {
        JsonSchema validator = FACTORY.getSchema(schema, SchemaValidatorsConfig.builder().build());
        Set<ValidationMessage> problems = validator.validate(parameters);
        return problems.stream().min(Comparator.comparing(ValidationMessage::getMessage)).map(m -> {
            String field = m.getInstanceLocation().getNameCount() > 0 ? m.getInstanceLocation().getName(0)
                    : m.getProperty() != null ? m.getProperty() : "root";
            return "Validation failed for field '" + field + "'. Failure reason: " + m.getMessage();
        });
    }
}
