package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.UUID;

/**
 * A task run to insert, read from upstream's task-run JSON: a validated {@code TaskRunCreate} body
 * (REST) or the {@code payload.task_run} of a {@code prefect.task-run.*} event. Both use the same
 * field names; the event also carries the run's counters and times, which a REST create starts at
 * zero (its schema has none of them).
 */
public record NewTaskRun(UUID id, String name, UUID flowRunId, String taskKey, String dynamicKey, String cacheKey,
                         Instant cacheExpiration, String taskVersion, int flowRunRunCount, JsonNode empiricalPolicy,
                         JsonNode taskInputs, JsonNode tags, JsonNode labels, int runCount, Instant expectedStartTime,
                         Instant startTime, Instant endTime, double totalRunTime) {

    /** {@code fallbackName} and {@code fallbackDynamicKey} stand in for fields the JSON leaves out. */
    public static NewTaskRun from(UUID id, UUID flowRunId, JsonNode t, String fallbackName, String fallbackDynamicKey) {
        return new NewTaskRun(id, text(t, "name", fallbackName), flowRunId, text(t, "task_key", ""),
                text(t, "dynamic_key", fallbackDynamicKey), text(t, "cache_key", null), time(t, "cache_expiration"),
                text(t, "task_version", null), t.path("flow_run_run_count").asInt(0), TaskRunPolicies.normalized(t.get("empirical_policy")),
                objectOr(t.get("task_inputs")), t.hasNonNull("tags") ? t.get("tags") : JsonNodeFactory.instance.arrayNode(),
                objectOr(t.get("labels")), t.path("run_count").asInt(0), time(t, "expected_start_time"), time(t, "start_time"),
                time(t, "end_time"), t.path("total_run_time").asDouble(0));
    }

    /** What a task run is stored under: its id, and (flow run, task key, dynamic key), unique too. */
    public record Key(UUID id, UUID flowRunId, String taskKey, String dynamicKey) {
    }

    public Key key() {
        return new Key(id, flowRunId, taskKey, dynamicKey);
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    private static Instant time(JsonNode node, String field) {
        return node.hasNonNull(field) ? Times.parse(node.get(field).asText()) : null;
    }

    private static JsonNode objectOr(JsonNode node) {
        return node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    }
}
