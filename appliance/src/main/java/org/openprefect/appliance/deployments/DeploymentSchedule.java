package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** One schedule of a deployment, as upstream's {@code DeploymentSchedule}; {@code schedule} is the interval, cron or rrule object as sent. */
public record DeploymentSchedule(UUID id, Instant created, Instant updated, UUID deploymentId, ObjectNode schedule, boolean active,
                                 Integer maxScheduledRuns, ObjectNode parameters, String slug) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("deployment_id", deploymentId.toString());
        j.set("schedule", ScheduleJson.inModelOrder(schedule));
        j.put("active", active);
        j.put("max_scheduled_runs", maxScheduledRuns);
        j.set("parameters", parameters);
        j.put("slug", slug);
        return j;
    }
}
