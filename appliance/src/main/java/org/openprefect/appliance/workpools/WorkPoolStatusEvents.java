package org.openprefect.appliance.workpools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.events.Event;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Upstream's work_pool_status_event and work_queue_status_event: {@code prefect.work-pool.ready},
 * {@code .not-ready}, {@code .paused} (and the same for {@code prefect.work-queue.*}) whenever a status
 * changes, the queue's related to its pool. Automations and the UI's event feed read these.
 */
final class WorkPoolStatusEvents {
    private WorkPoolStatusEvents() {
    }

    /** {@code follows} is the pool's previous status event when that was recent (upstream's ten minutes), else null. */
    static Event pool(WorkPool pool, String status, UUID eventId, Instant occurred, UUID follows) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.work-pool." + pool.id())
                .put("prefect.resource.name", pool.name()).put("prefect.work-pool.type", pool.type());
        return new Event(occurred, "prefect.work-pool." + kebab(status), resource, List.of(), JsonNodeFactory.instance.objectNode(),
                eventId, follows, null);
    }

    static Event queue(WorkQueue queue, String status, WorkPool pool, Instant occurred) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.work-queue." + queue.id())
                .put("prefect.resource.name", queue.name()).put("prefect.resource.role", "work-queue");
        ObjectNode related = JsonNodeFactory.instance.objectNode().put("prefect.resource.id", "prefect.work-pool." + pool.id())
                .put("prefect.resource.name", pool.name()).put("prefect.work-pool.type", pool.type())
                .put("prefect.resource.role", "work-pool");
        return new Event(occurred, "prefect.work-queue." + kebab(status), resource, List.of(related), JsonNodeFactory.instance.objectNode(),
                Ids.v7(occurred), null, null);
    }

    private static String kebab(String status) {
        return status.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
