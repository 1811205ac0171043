package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.flows.Flow;
import org.openprefect.appliance.flows.FlowRepository;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.RequestBodies;
import org.openprefect.appliance.orchestration.DeploymentConcurrency;
import org.openprefect.appliance.orchestration.FlowRules;
import org.openprefect.appliance.orchestration.OrchestrationResult;
import org.openprefect.appliance.orchestration.Orchestrator;
import org.openprefect.appliance.orchestration.RunHistory;
import org.openprefect.appliance.orchestration.RunRecord;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.orchestration.TaskRules;
import org.openprefect.appliance.rollup.RunRollup;
import org.openprefect.appliance.runs.RunResource;
import org.openprefect.appliance.taskruns.TaskRunRepository;
import org.openprefect.appliance.workpools.WorkPoolRepository;
import org.openprefect.appliance.workpools.WorkPoolRepository.WorkQueueRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Flow runs: creation, reads, updates, filters and state transitions, as plain methods. */
public final class FlowRunService implements RunResource {
    private final Database db;
    private final FlowRunRepository runs;
    private final FlowRepository flows;
    private final FlowRunInputRepository inputs;
    private final FlowRunResumes resumes;
    private final RunHistory history;
    private final RunRollup rollup;
    private final TaskRunRepository taskRuns;
    private final WorkPoolRepository workPools;
    private final int defaultLimit;
    private final Listings listings;

    /** @param deploymentConcurrency the deployments' limits their runs take slots of as they become PENDING */
    public FlowRunService(Database db, int defaultLimit, Consumer<Event> emitEvent, DeploymentConcurrency deploymentConcurrency) {
        this.db = db;
        this.runs = new FlowRunRepository(db.dialect(), emitEvent, deploymentConcurrency);
        this.workPools = new WorkPoolRepository(db.dialect());
        this.flows = new FlowRepository(db.dialect());
        this.inputs = new FlowRunInputRepository(db.dialect());
        this.resumes = new FlowRunResumes(runs, inputs);
        this.history = new RunHistory(db.dialect(), "flow_run");
        this.rollup = new RunRollup(db.dialect(), "flow_run");
        this.taskRuns = new TaskRunRepository(db.dialect());
        this.defaultLimit = defaultLimit;
        this.listings = new Listings(db, runs, "ID_DESC", defaultLimit, rollup::count);
    }

    /** The stored run and whether this call created it (201) or found it by idempotency key (200). */
    public record Created(FlowRun run, boolean isNew) {
    }

    public Created create(FlowRunCreate body) {
        return db.write(c -> create(c, body, null));
    }

    /**
     * What a run created from a deployment takes from it: its version and work queue, and its
     * labels as the parent labels (upstream's with_system_labels_for_deployment_flow_run).
     */
    public record DeploymentOrigin(UUID deploymentId, String version, UUID workQueueId, String workQueueName, ObjectNode labels) {
    }

    /** Creates a run inside the caller's transaction; {@code origin} is null for {@code POST /flow_runs/}. */
    public Created create(Connection c, FlowRunCreate body, DeploymentOrigin origin) throws SQLException {
        Flow flow = flows.byId(c, body.flowId());
        if (flow == null) {
            throw ApiException.integrityConflict();
        }
        if (body.idempotencyKey() != null) {
            UUID existing = runs.idByIdempotencyKey(c, body.flowId(), body.idempotencyKey());
            if (existing != null) {
                return new Created(runs.read(c, existing), false);
            }
        }
        UUID id = Ids.v7();
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        labels.setAll(origin == null ? flow.labels() : origin.labels());
        labels.put("prefect.flow.id", body.flowId().toString());
        if (origin != null) {
            labels.put("prefect.deployment.id", origin.deploymentId().toString());
        }
        labels.setAll(body.labels());
        WorkQueueRef queue = origin == null ? resolveWorkQueue(c, body.workPoolName(), body.workQueueName())
                : new WorkQueueRef(origin.workQueueId(), origin.workQueueName());
        runs.insert(c, new NewFlowRun(id, body.name() != null ? body.name() : RunNames.random(), body.flowId(),
                origin == null ? body.deploymentId() : origin.deploymentId(), origin == null ? null : origin.version(), queue.id(),
                queue.name(), body.flowVersion(), body.parameters(), body.idempotencyKey(), body.context(), body.empiricalPolicy(),
                Json.MAPPER.valueToTree(body.tags()), labels, null, body.jobVariables(), body.infrastructureDocumentId(),
                body.parentTaskRunId()));
        // The first state goes through the minimal policy, as upstream applies it with force.
        RunRecord run = runs.loadForUpdate(c, id);
        Orchestrator.transition(c, runs, run, null, State.proposed(body.state(), Times.now()), FlowRules.minimalPolicy(), true, Times.now());
        return new Created(runs.read(c, id), true);
    }

    /** A run the scheduler creates for a deployment's schedule; {@code key} is upstream's idempotency key for it. */
    public record ScheduledRun(UUID flowId, String key, Instant at, ObjectNode parameters, List<String> tags, ObjectNode createdBy,
                               boolean autoScheduled) {
    }

    /** Inserts a scheduled run inside the caller's transaction unless its key exists; true when it was new. */
    public boolean insertScheduled(Connection c, ScheduledRun run, DeploymentOrigin origin) throws SQLException {
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        labels.setAll(origin.labels());
        labels.put("prefect.flow.id", run.flowId().toString());
        labels.put("prefect.deployment.id", origin.deploymentId().toString());
        return runs.insertScheduled(c, new NewFlowRun(Ids.v7(), RunNames.random(), run.flowId(), origin.deploymentId(), origin.version(),
                origin.workQueueId(), origin.workQueueName(), null, run.parameters(), run.key(), JsonNodeFactory.instance.objectNode(),
                FlowRunPolicies.normalized(null), Json.MAPPER.valueToTree(run.tags()), labels, run.createdBy(),
                JsonNodeFactory.instance.objectNode(), null, null), run.at(), run.autoScheduled());
    }

    /**
     * Upstream's _delete_scheduled_runs: a deployment's runs that are Scheduled, not waiting for a
     * concurrency slot and never ran, optionally only the auto-scheduled or only the future ones.
     */
    public void deleteScheduledRuns(Connection c, UUID deploymentId, boolean autoScheduledOnly, boolean futureOnly) throws SQLException {
        runs.deleteScheduled(c, deploymentId, autoScheduledOnly, futureOnly ? Times.now() : null);
    }

    /** What a runner polls ({@code /deployments/get_scheduled_flow_runs}): Scheduled runs of these deployments due before a time, soonest first. */
    public List<FlowRun> scheduledRuns(List<UUID> deploymentIds, Instant before, int limit) {
        return db.read(c -> runs.scheduledOf(c, deploymentIds, before, limit));
    }

    /** work_pool_name (+ work_queue_name) name a queue: the pool's default queue when no queue is named. */
    private WorkQueueRef resolveWorkQueue(Connection c, String pool, String queue) throws SQLException {
        if (pool == null) {
            return new WorkQueueRef(null, queue);
        }
        if (!workPools.workPoolExists(c, pool)) {
            throw ApiException.notFound("Work pool with name: '" + pool + "' not found.");
        }
        WorkQueueRef ref = workPools.workQueue(c, pool, queue);
        if (ref == null) {
            throw ApiException.notFound("Work pool queue '" + pool + "/" + (queue == null ? "default" : queue) + "' not found.");
        }
        return ref;
    }

    @Override
    public FlowRun read(UUID id) {
        return ApiException.found(db.read(c -> runs.read(c, id)), "Flow run not found");
    }

    public void update(UUID id, FlowRunUpdate body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        set(columns, "name", body.name());
        set(columns, "flow_version", body.flowVersion());
        set(columns, "infrastructure_pid", body.infrastructurePid());
        set(columns, "parameters", body.parameters());
        set(columns, "tags", body.tags() == null ? null : Json.MAPPER.valueToTree(body.tags()));
        set(columns, "empirical_policy", body.empiricalPolicy());
        boolean found = db.write(c -> {
            if (body.jobVariables() != null) {
                FlowRun current = runs.read(c, id);
                if (current == null) {
                    return false;
                }
                if (!"SCHEDULED".equals(current.times().stateType()) || !current.isFromDeployment()) {
                    throw ApiException.detail(400, "Job variables for a flow run can only be updated when the flow run is in a SCHEDULED "
                            + "state and was created from a deployment.");
                }
                set(columns, "job_variables", body.jobVariables());
            }
            return runs.update(c, id, columns);
        });
        if (!found) {
            throw ApiException.notFound("Flow run not found");
        }
    }

    private static void set(Map<String, Object> columns, String column, Object value) {
        if (value != null) {
            columns.put(column, value);
        }
    }

    public void updateLabels(UUID id, JsonNode labels) {
        boolean found = db.write(c -> {
            JsonNode current = runs.labels(c, id);
            if (current == null) {
                return false;
            }
            ObjectNode merged = current.isObject() ? ((ObjectNode) current).deepCopy() : JsonNodeFactory.instance.objectNode();
            merged.setAll((ObjectNode) labels);
            return runs.update(c, id, Map.of("labels", merged));
        });
        if (!found) {
            throw ApiException.notFound("Flow run not found");
        }
    }

    public void delete(UUID id) {
        if (!db.write(c -> runs.delete(c, id))) {
            throw ApiException.notFound("Flow run not found");
        }
    }

    public JsonNode history(JsonNode body) {
        Where where = runs.where(body);
        return db.read(c -> rollup.history(c, body, runsOnly -> history.history(runsOnly, where, body)));
    }

    /** {@link #history} with the counts only, for the dashboard's chart. */
    public JsonNode stateCounts(JsonNode body) {
        Where where = runs.where(body);
        return db.read(c -> rollup.history(c, body, runsOnly -> history.counts(runsOnly, where, body)));
    }

    public Double lateness(JsonNode body) {
        Where where = runs.where(body);
        return db.read(c -> history.averageLateness(c, where));
    }

    public FlowRunResumes.Outcome resume(UUID id, JsonNode body) {
        try {
            return db.write(c -> resumes.resume(c, id, body.get("run_input")));
        } catch (Orchestrator.RunNotFoundException e) {
            throw ApiException.exceptionMessage(404, e.getMessage());
        }
    }

    public void createInput(UUID id, JsonNode body) {
        boolean created = db.write(c -> {
            if (!runs.exists(c, id)) {
                throw ApiException.notFound("Flow run not found");
            }
            return inputs.insert(c, id, body.get("key").asText(), body.get("value").asText(),
                    body.hasNonNull("sender") ? body.get("sender").asText() : null);
        });
        if (!created) {
            throw ApiException.detail(409, "A flow run input with this key already exists.");
        }
    }

    public List<ObjectNode> filterInputs(UUID id, JsonNode body) {
        List<String> exclude = new ArrayList<>();
        body.path("exclude_keys").forEach(k -> exclude.add(k.asText()));
        return db.read(c -> inputs.filter(c, id, body.get("prefix").asText(),
                RequestBodies.intBetween(body, "limit", 1, 0, Integer.MAX_VALUE), exclude));
    }

    public String readInput(UUID id, String key) {
        return ApiException.found(db.read(c -> inputs.value(c, id, key)), "Flow run input not found");
    }

    public void deleteInput(UUID id, String key) {
        if (!db.write(c -> inputs.delete(c, id, key))) {
            throw ApiException.notFound("Flow run input not found");
        }
    }

    /** Sets one state on up to {@code limit} matching runs, each in its own transaction; failures become ABORT entries. */
    public ObjectNode bulkSetState(JsonNode body) {
        int limit = body.path("limit").asInt(50);
        Where where = runs.where(body);
        List<UUID> ids = db.read(c -> runs.ids(c, where, limit));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode results = response.putArray("results");
        for (UUID id : ids) {
            ObjectNode entry;
            try {
                entry = setState(id, body).toJson();
            } catch (RuntimeException e) {
                entry = new OrchestrationResult(null, OrchestrationResult.Status.ABORT, e.getMessage(), null, false).toJson();
            }
            ObjectNode withId = JsonNodeFactory.instance.objectNode().put("flow_run_id", id.toString());
            withId.setAll(entry);
            results.add(withId);
        }
        return response;
    }

    /** {@code /flow_runs/{id}/graph}: each task run with the task runs its inputs came from. */
    public List<ObjectNode> graph(UUID id) {
        return db.read(c -> {
            if (!runs.exists(c, id)) {
                throw ApiException.notFound("Flow run not found");
            }
            return taskRuns.dependencies(c, id);
        });
    }

    public OrchestrationResult setState(UUID id, JsonNode body) {
        boolean force = body.path("force").asBoolean(false);
        try {
            return db.write(c -> Orchestrator.setState(c, runs, id, body.get("state"),
                    force ? FlowRules.minimalPolicy() : FlowRules.corePolicy(), true));
        } catch (Orchestrator.RunNotFoundException e) {
            throw ApiException.exceptionMessage(404, e.getMessage());
        }
    }

    /** A run that may be late: still Scheduled, due at {@code scheduledTime}. */
    public record LateCandidate(UUID id, Instant scheduledTime) {
    }

    /** Runs in the plain Scheduled state whose next scheduled start is at or before {@code before}. */
    public List<LateCandidate> lateCandidates(Instant before, int limit) {
        return db.read(c -> runs.lateCandidates(c, before, limit));
    }

    /** Proposes upstream's Late state (MarkLateRunsPolicy): only a run still plainly Scheduled takes it. */
    public OrchestrationResult markLate(LateCandidate run) {
        ObjectNode late = JsonNodeFactory.instance.objectNode().put("type", "SCHEDULED").put("name", "Late");
        late.putObject("state_details").put("scheduled_time", Times.iso(run.scheduledTime()));
        try {
            return db.write(c -> Orchestrator.setState(c, runs, run.id(), late, FlowRules.markLateRunsPolicy(), true));
        } catch (Orchestrator.RunNotFoundException e) {
            return null; // deleted since it was found
        }
    }

    // ---- what the background services do ------------------------------------------------------

    /** A page of run ids in these states (by id, after {@code afterId}) whose column {@code condition} holds. */
    public List<UUID> idsInStates(List<String> stateTypes, String condition, List<Object> params, UUID afterId, int limit) {
        return db.read(c -> runs.idsInStates(c, stateTypes, condition, params, afterId, limit));
    }

    /** FailExpiredPauses: a run still Paused past its state's pause_timeout is Failed, forcibly. */
    public boolean failIfPauseExpired(UUID id, Instant now) {
        return proposeIf(id, true, run -> run.stateType == StateType.PAUSED,
                state -> state != null && state.details().hasNonNull("pause_timeout")
                        && Times.parse(state.details().get("pause_timeout").asText()).isBefore(now),
                JsonNodeFactory.instance.objectNode().put("type", "FAILED").put("message", "The flow was paused and never resumed."));
    }

    /** CancellationCleanup: a run Cancelling since before {@code deadline} becomes Cancelled (upstream's cancelling timeout). */
    public boolean cancelIfCancellingSince(UUID id, Instant deadline) {
        return proposeIf(id, false, run -> run.stateType == StateType.CANCELLING && run.stateTimestamp != null
                        && run.stateTimestamp.isBefore(deadline), state -> true,
                JsonNodeFactory.instance.objectNode().put("type", "CANCELLED")
                        .put("message", "Flow run cancellation timed out; marked this flow run as Cancelled."));
    }

    /** CancellationCleanup: the unfinished task runs of a cancelled run are Cancelled, forcibly (at most 100 a pass, as upstream). */
    public int cancelUnfinishedTaskRuns(UUID flowRunId) {
        List<UUID> ids = db.read(c -> taskRuns.unfinishedOf(c, flowRunId, 100));
        int cancelled = 0;
        for (UUID taskRunId : ids) {
            ObjectNode state = JsonNodeFactory.instance.objectNode().put("type", "CANCELLED").put("message", "The parent flow run was cancelled.");
            try {
                db.write(c -> Orchestrator.setState(c, taskRuns, taskRunId, state, TaskRules.minimalPolicy(), false));
                cancelled++;
            } catch (Orchestrator.RunNotFoundException e) {
                // deleted meanwhile
            }
        }
        return cancelled;
    }

    /**
     * CancellationCleanup: a subflow whose parent flow run is Cancelled is cancelled too: Cancelling
     * when it came from a deployment (its infrastructure must stop it), Cancelled otherwise.
     */
    public boolean cancelIfParentCancelled(UUID id) {
        FlowRun subflow = db.read(c -> runs.read(c, id));
        if (subflow == null || subflow.parentTaskRunId() == null || subflow.state() == null || subflow.state().type().isTerminal()) {
            return false;
        }
        String parent = db.read(c -> runs.stateTypeOfFlowRunHolding(c, subflow.parentTaskRunId()));
        if (!"CANCELLED".equals(parent)) {
            return false;
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("type", subflow.isFromDeployment() ? "CANCELLING" : "CANCELLED")
                .put("message", "The parent flow run was cancelled.");
        return proposeIf(id, false, run -> run.stateType != null && !run.stateType.isTerminal(), s -> true, state);
    }

    /** Proposes a state in one transaction if the locked run and its current state still qualify; {@code force} skips the rules. */
    private boolean proposeIf(UUID id, boolean force, Predicate<RunRecord> run, Predicate<State> current, ObjectNode proposed) {
        try {
            return db.write(c -> {
                RunRecord locked = runs.loadForUpdate(c, id);
                if (locked == null || !run.test(locked) || !current.test(locked.stateId == null ? null : runs.readState(c, locked.stateId))) {
                    return false;
                }
                Orchestrator.transition(c, runs, locked, locked.stateId == null ? null : runs.readState(c, locked.stateId),
                        State.proposed(proposed, Times.now()), force ? FlowRules.minimalPolicy() : FlowRules.corePolicy(), true, Times.now());
                return true;
            });
        } catch (Orchestrator.RunNotFoundException e) {
            return false;
        }
    }

    public ObjectNode bulkDelete(JsonNode body) {
        int limit = body.path("limit").asInt(50);
        Where where = runs.where(body);
        List<UUID> deleted = db.write(c -> {
            List<UUID> ids = runs.ids(c, where, limit);
            for (UUID id : ids) {
                runs.delete(c, id);
            }
            return ids;
        });
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode list = json.putArray("deleted");
        deleted.forEach(id -> list.add(id.toString()));
        return json;
    }

    public ObjectNode state(UUID stateId) {
        State s = db.read(c -> runs.states().byId(c, stateId));
        if (s == null) {
            throw ApiException.notFound("Flow run state not found");
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
