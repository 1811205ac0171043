package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A schedule object as upstream answers it: read back through its pydantic model, so its fields
 * come in the model's order whatever order they were stored in (PostgreSQL's JSONB sorts keys).
 * Interval: interval, anchor_date, timezone; cron: cron, timezone, day_or; rrule: rrule, timezone.
 */
final class ScheduleJson {
    private static final List<List<String>> MODELS = List.of(
            List.of("interval", "anchor_date", "timezone"),
            List.of("cron", "timezone", "day_or"),
            List.of("rrule", "timezone"));

    private ScheduleJson() {
    }

    static ObjectNode inModelOrder(ObjectNode stored) {
        for (List<String> fields : MODELS) {
            if (stored.has(fields.get(0))) {
                ObjectNode ordered = JsonNodeFactory.instance.objectNode();
                fields.stream().filter(stored::has).forEach(f -> ordered.set(f, stored.get(f)));
                stored.properties().forEach(e -> {
                    if (!ordered.has(e.getKey())) {
                        ordered.set(e.getKey(), e.getValue());
                    }
                });
                return ordered;
            }
        }
        return stored;
    }
}
