package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.ValidationErrors;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's validate_base_job_template: an empty template is fine; otherwise it needs a
 * {@code job_configuration} and a {@code variables} schema, and every {@code {{ placeholder }}} of
 * the job configuration must be a property of that schema. A refusal is a 422 at
 * {@code body.base_job_template}, worded as upstream's.
 */
final class BaseJobTemplates {
    /** Upstream's PLACEHOLDER_CAPTURE_REGEX. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([\\w.\\-\\[\\]$]+)\\s*}}");

    private BaseJobTemplates() {
    }

    static void check(JsonNode template, JsonNode body) {
        if (template == null || !template.isObject() || template.isEmpty()) {
            return;
        }
        JsonNode config = template.get("job_configuration");
        JsonNode variables = template.get("variables");
        if (config == null || config.isEmpty() || variables == null || variables.isEmpty()) {
            refuse("The `base_job_template` must contain both a `job_configuration` key and a `variables` key.", template, body);
        }
        Set<String> used = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(config.toString());
        while (m.find()) {
            used.add(m.group(1));
        }
        Set<String> declared = new TreeSet<>();
        variables.path("properties").fieldNames().forEachRemaining(declared::add);
        used.removeAll(declared);
        if (!used.isEmpty()) {
            refuse("The variables specified in the job configuration template must be present as properties in the variables schema. "
                    + "Your job configuration uses the following undeclared variable(s): " + String.join(" ,", used) + ".", template, body);
        }
    }

    private static void refuse(String message, JsonNode template, JsonNode body) {
        throw new InvalidRequestException(new ValidationErrors().add("value_error", List.of("body", "base_job_template"),
                "Value error, " + message, template), body);
    }
}
