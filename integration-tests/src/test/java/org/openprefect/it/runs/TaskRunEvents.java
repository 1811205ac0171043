package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.it.support.Api;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Builds the {@code prefect.task-run.*} events the Prefect 3 engine sends, shaped as in client-trace.txt.
 * Task-run and event ids are time-ordered UUIDv7, as the client makes them (traces/concurrency.jsonl:
 * task run {@code 01a2382e-9979-7921-...}, its events {@code 01a2382e-9986-7087-...}): where rows go
 * in the database's indexes depends on it.
 */
public final class TaskRunEvents {
    private final Supplier<UUID> ids;
    private final UUID taskRunId;
    private final UUID flowRunId;
    private final UUID flowId;
    private final String name;
    private final String taskKey;
    private final String dynamicKey;
    private final int retries;
    private String previousEventId;
    private String previousType;
    private String previousName;
    private Instant start;

    public TaskRunEvents(UUID flowRunId, UUID flowId, String name, String taskKey, int retries) {
        this(TaskRunEvents::uuid7, flowRunId, flowId, name, taskKey, retries);
    }

    /** With the task-run and event ids of {@code ids} (the benchmark compares random ones). */
    public TaskRunEvents(Supplier<UUID> ids, UUID flowRunId, UUID flowId, String name, String taskKey, int retries) {
        this(ids, ids.get(), flowRunId, flowId, name, taskKey, UUID.randomUUID().toString(), retries);
    }

    private TaskRunEvents(Supplier<UUID> ids, UUID taskRunId, UUID flowRunId, UUID flowId, String name, String taskKey, String dynamicKey,
                          int retries) {
        this.ids = ids;
        this.taskRunId = taskRunId;
        this.flowRunId = flowRunId;
        this.flowId = flowId;
        this.name = name;
        this.taskKey = taskKey;
        this.dynamicKey = dynamicKey;
        this.retries = retries;
    }

    /** The same task (flow run, task key, dynamic key) reported under another task-run id. */
    public TaskRunEvents underAnotherId() {
        return new TaskRunEvents(ids, ids.get(), flowRunId, flowId, name, taskKey, dynamicKey, retries);
    }

    /** RFC 9562 version 7: 48 bits of Unix milliseconds, the version, then random bits. */
    public static UUID uuid7() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | random.nextInt(1 << 12);
        return new UUID(msb, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }

    public UUID id() {
        return taskRunId;
    }

    /** The next state's event; {@code end} marks a terminal state. */
    public String state(String type, String stateName, Instant at, int runCount, Instant scheduledTime) {
        if ("RUNNING".equals(type) && start == null) {
            start = at;
        }
        boolean terminal = type.equals("COMPLETED") || type.equals("FAILED");
        String eventId = ids.get().toString();
        ObjectNode e = Api.JSON.createObjectNode();
        e.put("occurred", at.toString());
        e.put("event", "prefect.task-run." + stateName);
        ObjectNode resource = e.putObject("resource");
        resource.put("prefect.resource.id", "prefect.task-run." + taskRunId);
        resource.put("prefect.resource.name", name);
        resource.put("prefect.run-count", Integer.toString(runCount));
        resource.put("prefect.state-message", "");
        resource.put("prefect.state-name", stateName);
        resource.put("prefect.state-timestamp", at.toString());
        resource.put("prefect.state-type", type);
        resource.put("prefect.orchestration", "client");
        var related = e.putArray("related");
        related.addObject().put("prefect.resource.id", "prefect.flow-run." + flowRunId).put("prefect.resource.role", "flow-run")
                .put("prefect.resource.name", "loose-aardwolf");
        related.addObject().put("prefect.resource.id", "prefect.flow." + flowId).put("prefect.resource.role", "flow")
                .put("prefect.resource.name", "smoke-flow");
        ObjectNode payload = e.putObject("payload");
        payload.putObject("intended").put("from", previousType).put("to", type);
        if (previousType == null) {
            payload.putNull("initial_state");
        } else {
            payload.putObject("initial_state").put("type", previousType).put("name", previousName).put("message", "").putObject("state_details");
        }
        ObjectNode validated = payload.putObject("validated_state").put("type", type).put("name", stateName).put("message", "");
        ObjectNode details = validated.putObject("state_details");
        if (scheduledTime != null) {
            details.put("scheduled_time", scheduledTime.toString());
        }
        if (terminal) {
            details.put("untrackable_result", true);
        }
        validated.putNull("data");
        ObjectNode run = payload.putObject("task_run");
        run.put("name", name).put("task_key", taskKey).put("dynamic_key", dynamicKey);
        run.putObject("empirical_policy").put("max_retries", 0).put("retry_delay_seconds", 0.0).put("retries", retries).put("retry_delay", 1);
        run.putArray("tags");
        run.putObject("labels");
        run.putObject("task_inputs").putArray("x");
        run.put("run_count", runCount).put("flow_run_run_count", 1).put("expected_start_time", at.toString());
        if (start != null) {
            run.put("start_time", start.toString());
        }
        if (terminal) {
            run.put("end_time", at.toString());
        }
        // As the engine: the time spent running, once the run has left RUNNING.
        run.put("total_run_time", terminal && start != null ? Duration.between(start, at).toNanos() / 1e9 : 0.0);
        e.put("id", eventId);
        if (previousEventId == null) {
            e.putNull("follows");
        } else {
            e.put("follows", previousEventId);
        }
        previousEventId = eventId;
        previousType = type;
        previousName = stateName;
        return e.toString();
    }
}
