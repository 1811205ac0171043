package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One entry of {@code POST /logs/} (upstream's {@code LogCreate}), read from a body already validated against that schema. */
public record LogCreate(String name, int level, String message, Instant timestamp, UUID flowRunId, UUID taskRunId) {
    public static LogCreate from(JsonNode log) {
        return new LogCreate(log.get("name").asText(), log.get("level").asInt(), log.get("message").asText(),
                Times.parse(log.get("timestamp").asText()), uuid(log, "flow_run_id"), uuid(log, "task_run_id"));
    }

    /** The whole batch, in the order sent. */
    public static List<LogCreate> allOf(JsonNode batch) {
        List<LogCreate> logs = new ArrayList<>();
        batch.forEach(log -> logs.add(from(log)));
        return logs;
    }

    private static UUID uuid(JsonNode node, String field) {
        return node.hasNonNull(field) ? UUID.fromString(node.get(field).asText()) : null;
    }
}
