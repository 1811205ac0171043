package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.orchestration.RunTimes;
import org.openprefect.appliance.orchestration.State;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task run as upstream's {@code TaskRun} response answers it: every field, in upstream's order,
 * nulls included. {@code taskInputs} maps each parameter to the inputs it came from (task runs,
 * parameters, constants), as the engine sent them.
 */
public record TaskRun(UUID id, Instant created, Instant updated, String name, UUID flowRunId, String taskKey, String dynamicKey,
                      String cacheKey, Instant cacheExpiration, String taskVersion, JsonNode empiricalPolicy, List<String> tags,
                      ObjectNode labels, UUID stateId, JsonNode taskInputs, RunTimes times, int flowRunRunCount, State state)
        implements WireShape {

    @Override
    public ObjectNode toJson() {
        ObjectNode j = Json.stored(id, created, updated);
        j.put("name", name);
        j.put("flow_run_id", Json.text(flowRunId));
        j.put("task_key", taskKey);
        j.put("dynamic_key", dynamicKey);
        j.put("cache_key", cacheKey);
        j.put("cache_expiration", Times.iso(cacheExpiration));
        j.put("task_version", taskVersion);
        j.set("empirical_policy", empiricalPolicy);
        tags.forEach(j.putArray("tags")::add);
        j.set("labels", labels);
        j.put("state_id", Json.text(stateId));
        j.set("task_inputs", taskInputs);
        times.putInto(j);
        j.put("flow_run_run_count", flowRunRunCount);
        j.set("state", state == null ? NullNode.getInstance() : state.toJson());
        return j;
    }
}
