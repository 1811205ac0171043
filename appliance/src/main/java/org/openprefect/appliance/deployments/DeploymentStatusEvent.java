package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.events.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Upstream's deployment_status_event: {@code prefect.deployment.ready} when a runner or worker polls a
 * deployment that was not ready, {@code prefect.deployment.not-ready} when nobody has polled it for
 * the foreman's timeout; related to its flow and, when it has them, its work queue and pool.
 */
final class DeploymentStatusEvent {
    /** The names the event carries; the queue and pool fields are null for a deployment without them. */
    record Subject(UUID id, String name, UUID flowId, String flowName, UUID queueId, String queueName, UUID poolId, String poolName,
                   String poolType) {
    }

    private DeploymentStatusEvent() {
    }

    static Event of(Subject d, boolean ready, Instant occurred) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.deployment." + d.id())
                .put("prefect.resource.name", d.name());
        List<ObjectNode> related = new ArrayList<>();
        related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.flow." + d.flowId())
                .put("prefect.resource.name", d.flowName()).put("prefect.resource.role", "flow"));
        if (d.queueId() != null) {
            related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.work-queue." + d.queueId())
                    .put("prefect.resource.name", d.queueName()).put("prefect.resource.role", "work-queue"));
        }
        if (d.poolId() != null) {
            related.add(JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.work-pool." + d.poolId())
                    .put("prefect.resource.name", d.poolName()).put("prefect.work-pool.type", d.poolType())
                    .put("prefect.resource.role", "work-pool"));
        }
        return new Event(occurred, "prefect.deployment." + (ready ? "ready" : "not-ready"), resource, related,
                JsonNodeFactory.instance.objectNode(), Ids.v7(occurred), null, null);
    }
}
