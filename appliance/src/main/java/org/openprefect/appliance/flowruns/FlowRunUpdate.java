package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;

import java.util.List;

/**
 * The body of {@code PATCH /flow_runs/{id}} (upstream's {@code FlowRunUpdate}); a null field is
 * left as stored. Upstream's schema gives no defaults that would overwrite a field not sent.
 */
public record FlowRunUpdate(String name, String flowVersion, JsonNode parameters, JsonNode empiricalPolicy, List<String> tags,
                            String infrastructurePid, JsonNode jobVariables) {

    public static FlowRunUpdate from(JsonNode body) {
        return new FlowRunUpdate(Json.text(body, "name"), Json.text(body, "flow_version"),
                body.hasNonNull("parameters") ? body.get("parameters") : null,
                body.hasNonNull("empirical_policy") ? FlowRunPolicies.normalized(body.get("empirical_policy")) : null,
                body.hasNonNull("tags") ? Json.texts(body.get("tags")) : null, Json.text(body, "infrastructure_pid"),
                body.hasNonNull("job_variables") ? body.get("job_variables") : null);
    }
}
