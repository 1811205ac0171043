package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.common.WireShape;

import java.time.Instant;
import java.util.UUID;

/** A worker as upstream's {@code WorkerResponse} answers it: ONLINE after a heartbeat, OFFLINE when the foreman stops hearing it. */
public record Worker(UUID id, Instant created, Instant updated, String name, UUID workPoolId, Instant lastHeartbeatTime,
                     Integer heartbeatIntervalSeconds, String status) implements WireShape {
    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("work_pool_id", workPoolId.toString());
        j.put("last_heartbeat_time", Times.iso(lastHeartbeatTime));
        j.put("heartbeat_interval_seconds", heartbeatIntervalSeconds);
        j.put("status", status);
        return j;
    }
}
