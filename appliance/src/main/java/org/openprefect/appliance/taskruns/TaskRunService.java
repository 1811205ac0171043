package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.orchestration.OrchestrationResult;
import org.openprefect.appliance.orchestration.Orchestrator;
import org.openprefect.appliance.orchestration.RunHistory;
import org.openprefect.appliance.orchestration.RunRecord;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.TagConcurrency;
import org.openprefect.appliance.orchestration.TaskRules;
import org.openprefect.appliance.rollup.RunRollup;
import org.openprefect.appliance.runs.RunResource;

import java.util.List;
import java.util.UUID;

/** Task runs over REST (older clients, background tasks); the Prefect 3 engine reports them as events instead. */
public final class TaskRunService implements RunResource {
    private final Database db;
    private final TaskRunRepository runs;
    private final RunHistory history;
    private final RunRollup rollup;
    private final int defaultLimit;
    private final Listings listings;
    private final int maxCacheKeyLength;

    /** @param tagConcurrency the tag limits task runs take slots of as they become RUNNING */
    public TaskRunService(Database db, int defaultLimit, int maxCacheKeyLength, TagConcurrency tagConcurrency) {
        this.db = db;
        this.runs = new TaskRunRepository(db.dialect(), tagConcurrency);
        this.history = new RunHistory(db.dialect(), "task_run");
        this.rollup = new RunRollup(db.dialect(), "task_run");
        this.defaultLimit = defaultLimit;
        this.listings = new Listings(db, runs, "ID_DESC", defaultLimit, rollup::count);
        this.maxCacheKeyLength = maxCacheKeyLength;
    }

    public record Created(TaskRun run, boolean isNew) {
    }

    public Created create(JsonNode body) {
        UUID flowRunId = body.hasNonNull("flow_run_id") ? UUID.fromString(body.get("flow_run_id").asText()) : null;
        UUID id = body.hasNonNull("id") ? UUID.fromString(body.get("id").asText()) : Ids.v7();
        String taskKey = body.get("task_key").asText();
        NewTaskRun t = NewTaskRun.from(id, flowRunId, body, taskKey + "-" + id.toString().substring(0, 3), body.get("dynamic_key").asText());
        return db.write(c -> {
            UUID existing = runs.existingId(c, t);
            if (existing != null) {
                return new Created(runs.read(c, existing), false);
            }
            if (flowRunId != null && !runs.flowRunExists(c, flowRunId)) {
                throw ApiException.integrityConflict();
            }
            runs.insertIfAbsent(c, t);
            JsonNode stateCreate = body.hasNonNull("state") ? body.get("state") : JsonNodeFactory.instance.objectNode().put("type", "PENDING");
            RunRecord run = runs.loadForUpdate(c, id);
            Orchestrator.transition(c, runs, run, null, State.proposed(stateCreate, Times.now()), TaskRules.minimalPolicy(), false, Times.now());
            return new Created(runs.read(c, id), true);
        });
    }

    @Override
    public TaskRun read(UUID id) {
        return ApiException.found(db.read(c -> runs.read(c, id)), "Task not found");
    }

    /** {@code PATCH /task_runs/{id}}: upstream's TaskRunUpdate has only the name; null keeps it. */
    public void rename(UUID id, String name) {
        if (!db.write(c -> runs.rename(c, id, name))) {
            throw ApiException.notFound("Task not found");
        }
    }

    public void delete(UUID id) {
        if (!db.write(c -> runs.delete(c, id))) {
            throw ApiException.notFound("Task not found");
        }
    }

    public OrchestrationResult setState(UUID id, JsonNode body) {
        boolean force = body.path("force").asBoolean(false);
        try {
            return db.write(c -> Orchestrator.setState(c, runs, id, body.get("state"),
                    force ? TaskRules.minimalPolicy() : TaskRules.corePolicy(maxCacheKeyLength), false));
        } catch (Orchestrator.RunNotFoundException e) {
            throw ApiException.exceptionMessage(404, e.getMessage());
        }
    }



    public JsonNode history(JsonNode body) {
        var where = runs.where(body);
        return db.read(c -> rollup.history(c, body, runsOnly -> history.history(runsOnly, where, body)));
    }

    public ObjectNode state(UUID stateId) {
        State s = db.read(c -> runs.states().byId(c, stateId));
        if (s == null) {
            throw ApiException.notFound("Task run state not found");
        }
        return s.toJson();
    }

    public List<ObjectNode> statesOfRun(UUID runId) {
        return db.read(c -> runs.states().ofRun(c, runId)).stream().map(State::toJson).toList();
    }

    /** {@code /filter}, {@code /count} and {@code /paginate}. */
    public Listings listings() {
        return listings;
    }
}
