package org.openprefect.appliance.http;

import com.fasterxml.jackson.databind.JsonNode;

/** A request that fails validation: answered 422 with upstream's body shape. */
public class InvalidRequestException extends RuntimeException {
    private final ValidationErrors errors;
    private final JsonNode requestBody;

    public InvalidRequestException(ValidationErrors errors, JsonNode requestBody) {
        super("Invalid request received.", null, false, false);
        this.errors = errors;
        this.requestBody = requestBody;
    }

    public ValidationErrors errors() {
        return errors;
    }

    public JsonNode requestBody() {
        return requestBody;
    }
}
