package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A schedule to create (upstream's {@code DeploymentScheduleCreate}, also the items of a
 * {@code DeploymentCreate}'s and {@code DeploymentUpdate}'s {@code schedules}). {@code schedule} may
 * be null only in an update that names an existing slug.
 */
public record DeploymentScheduleCreate(ObjectNode schedule, Boolean active, Integer maxScheduledRuns, ObjectNode parameters,
                                       String slug) {

    public static DeploymentScheduleCreate from(JsonNode body) {
        return new DeploymentScheduleCreate(body.path("schedule").isObject() ? (ObjectNode) body.get("schedule") : null,
                body.hasNonNull("active") ? body.get("active").asBoolean() : null,
                body.hasNonNull("max_scheduled_runs") ? body.get("max_scheduled_runs").asInt() : null,
                Json.object(body, "parameters"),
                body.hasNonNull("slug") ? body.get("slug").asText() : null);
    }

    /** The items of a {@code schedules} array; null when the field is absent or null (an update then keeps the schedules). */
    public static List<DeploymentScheduleCreate> listOrNull(JsonNode schedules) {
        if (schedules == null || !schedules.isArray()) {
            return null;
        }
        List<DeploymentScheduleCreate> list = new ArrayList<>();
        schedules.forEach(s -> list.add(from(s)));
        return list;
    }

    public boolean isActive() {
        return active == null || active;
    }

    /** The same schedule with its object as upstream's model stores it. */
    public DeploymentScheduleCreate withSchedule(ObjectNode stored) {
        return new DeploymentScheduleCreate(stored, active, maxScheduledRuns, parameters, slug);
    }
}
