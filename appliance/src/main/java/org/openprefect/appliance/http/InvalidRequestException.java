package org.openprefect.appliance.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A request that fails validation: answered 422 with upstream's body shape. */
public class InvalidRequestException extends RuntimeException {
    private final ValidationErrors errors;
    private final JsonNode requestBody;

    public InvalidRequestException(ValidationErrors errors, JsonNode requestBody) {
        super("Invalid request received.", null, false, false);
        this.errors = errors;
        this.requestBody = requestBody;
    }

    /** A pydantic validator's {@code ValueError} at {@code loc}, as upstream's 422 reports it. */
    public static InvalidRequestException valueError(JsonNode requestBody, List<Object> loc, String message, Object input) {
        return new InvalidRequestException(new ValidationErrors().add("value_error", loc, "Value error, " + message, input), requestBody);
    }

    public ValidationErrors errors() {
        return errors;
    }

    public JsonNode requestBody() {
        return requestBody;
    }
}
