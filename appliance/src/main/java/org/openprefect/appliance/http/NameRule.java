package org.openprefect.appliance.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Upstream's name validators ({@code raise_on_name_alphanumeric_dashes_only} and its
 * dashes-or-underscores twin): lowercase letters, digits and the allowed separators, refused as
 * pydantic reports a validator's {@code ValueError}.
 */
public enum NameRule {
    /** Block document names, artifact keys. */
    DASHES("^[a-z0-9-]*$", "dashes"),
    /** Variable names. */
    DASHES_OR_UNDERSCORES("^[a-z0-9-_]*$", "dashes or underscores");

    private final Pattern allowed;
    private final String separators;

    NameRule(String allowed, String separators) {
        this.allowed = Pattern.compile(allowed);
        this.separators = separators;
    }

    /** A 422 at {@code loc} ("Variable name must only contain ...") unless {@code value} keeps the rule. */
    public void check(JsonNode body, List<Object> loc, String fieldName, String value) {
        if (!allowed.matcher(value).matches()) {
            throw InvalidRequestException.valueError(body, loc,
                    fieldName + " must only contain lowercase letters, numbers, and " + separators + ".", value);
        }
    }
}
