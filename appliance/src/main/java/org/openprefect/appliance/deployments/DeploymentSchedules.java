package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The schedule columns an update sets: only the fields present, as upstream's exclude_unset. */
final class DeploymentSchedules {
    private DeploymentSchedules() {
    }

    /** The fields of a {@code DeploymentScheduleUpdate} body that are present. */
    static Map<String, Object> sentColumns(JsonNode body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (body.path("schedule").isObject()) {
            columns.put("schedule", body.get("schedule"));
        }
        if (body.hasNonNull("active")) {
            columns.put("active", body.get("active").asBoolean());
        }
        if (body.has("max_scheduled_runs")) {
            columns.put("max_scheduled_runs", body.get("max_scheduled_runs").isNull() ? null : body.get("max_scheduled_runs").asInt());
        }
        if (body.path("parameters").isObject()) {
            columns.put("parameters", body.get("parameters"));
        }
        if (body.has("slug")) {
            columns.put("slug", body.get("slug").isNull() ? null : body.get("slug").asText());
        }
        return columns;
    }

    /** A slug-matched schedule of a deployment update: what it carries replaces the stored fields. */
    static Map<String, Object> columns(DeploymentScheduleCreate s) {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (s.schedule() != null) {
            columns.put("schedule", s.schedule());
        }
        if (s.active() != null) {
            columns.put("active", s.active());
        }
        if (s.maxScheduledRuns() != null) {
            columns.put("max_scheduled_runs", s.maxScheduledRuns());
        }
        columns.put("parameters", s.parameters());
        return columns;
    }
}
