package org.openprefect.appliance.http;

import java.util.List;

/** 422s for query parameters, in upstream's validation-error shape. */
public final class QueryErrors {
    private QueryErrors() {
    }

    public static InvalidRequestException uuidRequired(String name, String given) {
        ValidationErrors errors = new ValidationErrors();
        if (given == null) {
            errors.missing(List.of("query", name));
        } else {
            errors.add("uuid_parsing", List.of("query", name), "Input should be a valid UUID", given);
        }
        return new InvalidRequestException(errors, null);
    }
}
