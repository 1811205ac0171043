package org.openprefect.appliance.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.concurrency.ConcurrencyLimitService;
import org.openprefect.appliance.db.AfterCommit;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.flowruns.FlowRun;
import org.openprefect.appliance.flowruns.FlowRunCreate;
import org.openprefect.appliance.flowruns.FlowRunPolicies;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flows.Flow;
import org.openprefect.appliance.flows.FlowRepository;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.http.InvalidRequestException;
import org.openprefect.appliance.http.ValidationErrors;
import org.openprefect.appliance.schedules.InvalidScheduleException;
import org.openprefect.appliance.schedules.Schedules;
import org.openprefect.appliance.workpools.WorkPool;
import org.openprefect.appliance.workpools.WorkPoolService;
import org.openprefect.appliance.workpools.WorkQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Deployments and their schedules, and the flow runs created from them, as plain methods. */
public final class DeploymentService {
    /** Upstream's DEFAULT_AGENT_WORK_POOL_NAME: a pool name deployments may carry without the pool existing. */
    static final String DEFAULT_AGENT_POOL = "default-agent-pool";
    private static final String NOT_FOUND = "Deployment not found";
    private static final String CREATE_REFUSED = "Error creating flow run: ";
    static final int BULK_CREATE_LIMIT = 100;

    private final Database db;
    private final DeploymentRepository deployments;
    private final FlowRepository flows;
    private final WorkPoolService workPoolService;
    private final ConcurrencyLimitService concurrency;
    private final FlowRunService flowRuns;
    private final Listings listings;
    private final int defaultLimit;
    private final SchedulingLimits limits;
    private final Consumer<Event> emitEvent;

    /** The scheduler's bounds, upstream's {@code PREFECT_SERVER_SERVICES_SCHEDULER_*} settings. */
    public record SchedulingLimits(int minRuns, int maxRuns, Duration minTime, Duration maxTime, int batchSize) {
    }

    public DeploymentService(Database db, FlowRunService flowRuns, WorkPoolService workPoolService, ConcurrencyLimitService concurrency,
                             int defaultLimit, SchedulingLimits limits, Consumer<Event> emitEvent) {
        this.concurrency = concurrency;
        this.db = db;
        this.emitEvent = emitEvent;
        this.limits = limits;
        this.deployments = new DeploymentRepository(db.dialect());
        this.workPoolService = workPoolService;
        this.flows = new FlowRepository(db.dialect());
        this.flowRuns = flowRuns;
        this.defaultLimit = defaultLimit;
        this.listings = new Listings(db, deployments, "NAME_ASC", defaultLimit);
    }

    /** The stored deployment and whether this call created it (201) or updated the one the flow had of that name (200). */
    public record Upserted(Deployment deployment, boolean created) {
    }

    /**
     * {@code POST /deployments/}: upserts by flow and name, as the runner re-applies its deployment on
     * every start. The fields sent replace the stored ones; the schedules are replaced; auto-scheduled
     * future runs of the old definition are deleted, as upstream deletes them.
     */
    public Upserted create(JsonNode body) {
        UUID flowId = UUID.fromString(body.get("flow_id").asText());
        String name = body.get("name").asText();
        List<DeploymentScheduleCreate> schedules = checked(DeploymentScheduleCreate.listOrNull(body.get("schedules")), body, "schedules");
        requireUniqueSlugs(schedules);
        return db.write(c -> {
            Flow flow = flows.byId(c, flowId);
            if (flow == null) {
                throw ApiException.integrityConflict();
            }
            Map<String, Object> columns = DeploymentFields.sent(body);
            putWorkQueue(c, columns, body, "Error creating deployment: ");
            ObjectNode labels = JsonNodeFactory.instance.objectNode();
            labels.setAll(flow.labels());
            labels.put("prefect.flow.id", flowId.toString());
            if (body.path("labels").isObject()) {
                labels.setAll((ObjectNode) body.get("labels"));
            }
            boolean inserted = deployments.insertIfAbsent(c, flowId, name, labels, columns);
            UUID id = deployments.idOf(c, flowId, name);
            if (!inserted) {
                columns.put("labels", labels);
                deployments.update(c, id, columns);
            }
            applyConcurrencyLimit(c, id, body);
            flowRuns.deleteScheduledRuns(c, id, true, true);
            deployments.deleteSchedules(c, id);
            for (DeploymentScheduleCreate schedule : schedules == null ? List.<DeploymentScheduleCreate>of() : schedules) {
                deployments.insertSchedule(c, id, schedule);
            }
            return new Upserted(deployments.byId(c, id), inserted);
        });
    }

    public Deployment read(UUID id) {
        return ApiException.found(db.read(c -> deployments.byId(c, id)), NOT_FOUND);
    }

    /** {@code GET /deployments/{id}/work_queue_check} (deprecated upstream): the tag-filtered legacy queues that would take its runs. */
    public List<WorkQueue> workQueueCheck(UUID id) {
        Deployment deployment = read(id);
        return workPoolService.legacyQueuesTaking(deployment.id(), deployment.tags());
    }

    public Deployment readByName(String flowName, String name) {
        return ApiException.found(db.read(c -> deployments.byName(c, flowName, name)), NOT_FOUND);
    }

    /** {@code PATCH /deployments/{id}}: upstream's update_deployment, slug-matched schedules included. */
    public void update(UUID id, JsonNode body) {
        List<DeploymentScheduleCreate> schedules = checked(DeploymentScheduleCreate.listOrNull(body.get("schedules")), body, "schedules");
        db.write(c -> {
            Deployment existing = deployments.byId(c, id);
            if (existing == null) {
                throw ApiException.notFound(NOT_FOUND + ".");
            }
            boolean allSentHaveSlugs = schedules == null || schedules.stream().allMatch(s -> s.slug() != null);
            boolean allStoredHaveSlugs = !existing.schedules().isEmpty() && existing.schedules().stream().allMatch(s -> s.slug() != null);
            if (schedules != null && !allSentHaveSlugs && allStoredHaveSlugs) {
                throw ApiException.detail(422, "Please provide a slug for each schedule in your request to ensure schedules are "
                        + "updated correctly.");
            }
            if (body.hasNonNull("parameters")) {
                boolean enforce = body.hasNonNull("enforce_parameter_schema") ? body.get("enforce_parameter_schema").asBoolean()
                        : existing.enforceParameterSchema();
                JsonNode schema = body.path("parameter_openapi_schema").isObject() ? body.get("parameter_openapi_schema")
                        : existing.parameterOpenapiSchema();
                if (enforce) {
                    requireParameters(schema, body.get("parameters"), "Error updating deployment: ", false);
                }
            }
            Map<String, Object> columns = DeploymentFields.sent(body);
            putWorkQueue(c, columns, body, "Error updating deployment: ");
            deployments.update(c, id, columns);
            applyConcurrencyLimit(c, id, body);
            flowRuns.deleteScheduledRuns(c, id, true, true);
            if (schedules != null && allSentHaveSlugs && allStoredHaveSlugs) {
                patchBySlug(c, id, schedules);
            } else if (schedules != null) {
                deployments.deleteSchedules(c, id);
                for (DeploymentScheduleCreate schedule : schedules) {
                    if (schedule.schedule() != null) {
                        deployments.insertSchedule(c, id, schedule);
                    }
                }
            }
            return null;
        });
    }

    private void patchBySlug(Connection c, UUID id, List<DeploymentScheduleCreate> schedules) throws SQLException {
        for (DeploymentScheduleCreate schedule : schedules) {
            UUID existing = deployments.scheduleIdBySlug(c, id, schedule.slug());
            if (existing != null) {
                deployments.updateSchedule(c, id, existing, DeploymentSchedules.columns(schedule));
            } else if (schedule.schedule() != null) {
                deployments.insertSchedule(c, id, schedule);
            } else {
                throw ApiException.detail(422, "Unable to create new deployment schedules without a schedule configuration.");
            }
        }
    }

    public void delete(UUID id) {
        if (!db.write(c -> {
            concurrency.deleteDeploymentLimit(c, id);
            return deployments.delete(c, id);
        })) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    /**
     * A deployment's concurrency as upstream keeps it: {@code global_concurrency_limit_id} points it
     * at an existing limit (404 when there is none), {@code concurrency_limit} makes, changes or
     * drops its own limit {@code deployment:<id>}, which its runs take slots of.
     */
    private void applyConcurrencyLimit(Connection c, UUID id, JsonNode body) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (body.has("global_concurrency_limit_id")) {
            UUID limitId = Json.uuid(body, "global_concurrency_limit_id");
            if (limitId != null && !concurrency.exists(c, limitId)) {
                throw ApiException.notFound("Concurrency limit not found");
            }
            columns.put("concurrency_limit_id", Json.text(limitId));
        }
        if (body.has("concurrency_limit")) {
            UUID current = columns.containsKey("concurrency_limit_id") ? Json.uuid(body, "global_concurrency_limit_id")
                    : deployments.byId(c, id).concurrencyLimitId();
            Integer limit = body.get("concurrency_limit").isNull() ? null : body.get("concurrency_limit").asInt();
            columns.put("concurrency_limit_id", Json.text(concurrency.syncDeploymentLimit(c, id, current, limit)));
        }
        if (!columns.isEmpty()) {
            deployments.update(c, id, columns);
        }
    }

    /** {@code POST /deployments/bulk_delete}: up to {@code limit} (50) deployments matching the filter, in one transaction. */
    public List<UUID> bulkDelete(JsonNode body) {
        int limit = body.path("limit").asInt(50);
        var where = deployments.where(body);
        return db.write(c -> {
            List<UUID> ids = deployments.ids(c, where, limit);
            for (UUID id : ids) {
                concurrency.deleteDeploymentLimit(c, id);
                deployments.delete(c, id);
            }
            return ids;
        });
    }

    /** The outcome of one run of a bulk create: its id, or why it failed ({@code FlowRunCreateResult}). */
    public record BulkCreateResult(UUID flowRunId, String error) {
    }

    /**
     * {@code POST /deployments/{id}/create_flow_run/bulk}: each run as {@link #createFlowRun} makes it,
     * each in its own transaction, so one refused run (its parameters, its work queue) does not stop
     * the others; at most {@value #BULK_CREATE_LIMIT}.
     */
    public List<BulkCreateResult> createFlowRuns(UUID id, JsonNode runs) {
        if (runs.size() > BULK_CREATE_LIMIT) {
            throw ApiException.detail(400, "Cannot create more than " + BULK_CREATE_LIMIT + " flow runs at once.");
        }
        read(id);
        List<BulkCreateResult> results = new ArrayList<>();
        for (JsonNode run : runs) {
            try {
                results.add(new BulkCreateResult(createFlowRun(id, run).run().id(), null));
            } catch (ApiException e) {
                String detail = e.getMessage();
                results.add(new BulkCreateResult(null, detail.startsWith(CREATE_REFUSED)
                        ? "Parameter validation failed: " + detail.substring(CREATE_REFUSED.length()) : detail));
            }
        }
        return results;
    }

    /** {@code pause_deployment}: paused, and its auto-scheduled runs still Scheduled are deleted. */
    public void pause(UUID id) {
        db.write(c -> {
            if (!deployments.update(c, id, Map.of("paused", true))) {
                throw ApiException.notFound(NOT_FOUND);
            }
            flowRuns.deleteScheduledRuns(c, id, true, false);
            return null;
        });
    }

    public void resume(UUID id) {
        if (!db.write(c -> deployments.update(c, id, Map.of("paused", false)))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    /**
     * {@code POST /deployments/{id}/create_flow_run}: the deployment's parameters with the run's over
     * them, checked against its parameter schema when enforced; the deployment's tags with the
     * run's; Scheduled now unless a state is given.
     */
    public FlowRunService.Created createFlowRun(UUID id, JsonNode body) {
        return db.write(c -> {
            Deployment deployment = deployments.byId(c, id);
            if (deployment == null) {
                throw ApiException.notFound(NOT_FOUND);
            }
            ObjectNode parameters = deployment.parameters().deepCopy();
            if (body.path("parameters").isObject()) {
                parameters.setAll((ObjectNode) body.get("parameters"));
            }
            boolean enforce = body.hasNonNull("enforce_parameter_schema") ? body.get("enforce_parameter_schema").asBoolean()
                    : deployment.enforceParameterSchema();
            if (enforce) {
                requireParameters(deployment.parameterOpenapiSchema(), parameters, CREATE_REFUSED, true);
            }
            UUID queueId = deployment.workQueueId();
            String queueName = deployment.workQueueName();
            String askedQueue = Json.text(body, "work_queue_name");
            if (askedQueue != null) {
                if (deployment.workPoolName() == null) {
                    throw ApiException.detail(400, "Cannot create flow run in work queue " + askedQueue + " because deployment " + id
                            + " is not associated with a work pool. Please remove work_pool_name and try again.");
                }
                WorkQueue queue = workPoolService.queueOrCreate(c, workPoolService.requirePool(c, deployment.workPoolName()), askedQueue);
                queueId = queue.id();
                queueName = queue.name();
            }
            WorkPool pool = deployment.workPoolName() == null ? null : workPoolService.findPool(c, deployment.workPoolName());
            if (pool != null) {
                JobVariablesSchema.problem(pool.baseJobTemplate(), Arrays.asList(deployment.jobVariables(), body.get("job_variables")), true)
                        .ifPresent(problem -> {
                            throw ApiException.detail(422, CREATE_REFUSED + problem);
                        });
            }
            Set<String> tags = new LinkedHashSet<>(deployment.tags());
            tags.addAll(Json.texts(body.get("tags")));
            ObjectNode state = body.path("state").isObject() ? (ObjectNode) body.get("state") : scheduledNow();
            FlowRunCreate run = new FlowRunCreate(state, Json.text(body, "name"), deployment.flowId(), null, parameters,
                    Json.object(body, "context"),
                    Json.uuid(body, "parent_task_run_id"),
                    body.hasNonNull("infrastructure_document_id") ? Json.uuid(body, "infrastructure_document_id")
                            : deployment.infrastructureDocumentId(),
                    FlowRunPolicies.normalized(body.get("empirical_policy")), new ArrayList<>(tags),
                    Json.object(body, "labels"),
                    Json.text(body, "idempotency_key"), null, null,
                    Json.object(body, "job_variables"), id);
            return flowRuns.create(c, run, new FlowRunService.DeploymentOrigin(id, deployment.version(), queueId, queueName,
                    deployment.labels()));
        });
    }

    /** What {@code flow.serve()} polls: the deployments' Scheduled runs due before the time; the deployments become READY. */
    public List<FlowRun> scheduledFlowRuns(JsonNode body) {
        List<UUID> ids = new ArrayList<>();
        body.path("deployment_ids").forEach(i -> ids.add(UUID.fromString(i.asText())));
        Instant before = body.hasNonNull("scheduled_before") ? Times.parse(body.get("scheduled_before").asText()) : null;
        List<FlowRun> runs = flowRuns.scheduledRuns(ids, before, Paging.of(body, defaultLimit).limit());
        Instant now = Times.now();
        db.write(c -> {
            List<UUID> becomingReady = deployments.withStatus(c, ids, "NOT_READY");
            deployments.markPolled(c, ids, now);
            announceStatus(c, becomingReady, true, now);
            return null;
        });
        return runs;
    }

    /** A worker polled these queues: their deployments are READY (upstream's mark_deployments_ready by work queue). */
    public void markPolledThroughQueues(Connection c, List<UUID> queueIds) throws SQLException {
        Instant now = Times.now();
        List<UUID> ids = deployments.ofQueues(c, queueIds);
        List<UUID> becomingReady = deployments.withStatus(c, ids, "NOT_READY");
        deployments.markPolled(c, ids, now);
        announceStatus(c, becomingReady, true, now);
    }

    /** The foreman's part for deployments: READY ones nobody polled for {@code timeout} become NOT_READY. */
    public int markNotReady(Duration timeout) {
        Instant now = Times.now();
        return db.write(c -> {
            List<UUID> stale = deployments.readyButNotPolledSince(c, now.minus(timeout));
            deployments.setStatus(c, stale, "NOT_READY");
            announceStatus(c, stale, false, now);
            return stale.size();
        });
    }

    /** Their status events, sent once the transaction commits. */
    private void announceStatus(Connection c, List<UUID> ids, boolean ready, Instant at) throws SQLException {
        for (UUID id : ids) {
            DeploymentStatusEvent.Subject subject = deployments.statusSubject(c, id);
            if (subject != null) {
                Event event = DeploymentStatusEvent.of(subject, ready, at);
                AfterCommit.run(() -> emitEvent.accept(event));
            }
        }
    }

    // ---- scheduling runs -----------------------------------------------------------------------

    public SchedulingLimits limits() {
        return limits;
    }

    /** The main scheduler's next page of deployments that need runs. */
    public List<UUID> deploymentsNeedingRuns(UUID afterId) {
        Instant now = Times.now();
        return db.read(c -> deployments.needingRuns(c, now, limits.minRuns(), now.plus(limits.minTime()), limits.batchSize(), afterId));
    }

    /** The recent-deployments scheduler's next page: deployments updated since {@code since}. */
    public List<UUID> deploymentsUpdatedSince(Instant since, UUID afterId) {
        return db.read(c -> deployments.updatedSince(c, since, limits.batchSize(), afterId));
    }

    /**
     * Upstream's schedule_runs: for each active schedule, runs from {@code start}, no more than
     * {@code maxRuns} and none after {@code end}, but at least {@code minRuns} and until at least
     * {@code start + minTime}; each with its idempotency key, so a run is never created twice.
     * Returns how many were new.
     */
    public int scheduleRuns(UUID id, Instant start, Instant end, Duration minTime, int minRuns, int maxRuns) {
        return db.write(c -> {
            Deployment deployment = deployments.byId(c, id);
            if (deployment == null) {
                return 0;
            }
            FlowRunService.DeploymentOrigin origin = new FlowRunService.DeploymentOrigin(id, deployment.version(),
                    deployment.workQueueId(), deployment.workQueueName(), deployment.labels());
            List<String> tags = new ArrayList<>(List.of("auto-scheduled"));
            tags.addAll(deployment.tags());
            int inserted = 0;
            for (DeploymentSchedule schedule : deployment.schedules()) {
                if (!schedule.active()) {
                    continue;
                }
                ObjectNode parameters = deployment.parameters().deepCopy();
                parameters.setAll(schedule.parameters());
                // upstream's CreatedBy, in its field order
                ObjectNode createdBy = JsonNodeFactory.instance.objectNode().put("id", schedule.id().toString()).put("type", "SCHEDULE")
                        .put("display_value", schedule.slug() != null ? schedule.slug() : Schedules.kind(schedule.schedule()));
                for (ZonedDateTime at : runTimes(schedule, start, end, minTime, minRuns, maxRuns)) {
                    String key = "scheduled " + id + " " + schedule.id() + " " + Schedules.pythonStr(at);
                    if (flowRuns.insertScheduled(c, new FlowRunService.ScheduledRun(deployment.flowId(), key, at.toInstant(), parameters,
                            tags, createdBy, true), origin)) {
                        inserted++;
                    }
                }
            }
            return inserted;
        });
    }

    /** The dates of one schedule, stopping as soon as both minimums are met. */
    private static List<ZonedDateTime> runTimes(DeploymentSchedule schedule, Instant start, Instant end, Duration minTime, int minRuns,
                                                int maxRuns) {
        List<ZonedDateTime> dates = new ArrayList<>();
        Instant enough = start.plus(minTime);
        for (ZonedDateTime at : Schedules.rule(schedule.schedule()).dates(maxRuns, start, end)) {
            dates.add(at);
            if (dates.size() >= minRuns && !at.toInstant().isBefore(enough)) {
                break;
            }
        }
        return dates;
    }

    /** {@code POST /deployments/{id}/schedule}: runs now, with the settings' bounds for what the body leaves out. */
    public void schedule(UUID id, JsonNode body) {
        Instant start = body.hasNonNull("start_time") ? Times.parse(body.get("start_time").asText()) : Times.now();
        Instant end = body.hasNonNull("end_time") ? Times.parse(body.get("end_time").asText()) : start.plus(limits.maxTime());
        Duration minTime = body.hasNonNull("min_time") ? Duration.ofMillis(Math.round(body.get("min_time").asDouble() * 1000))
                : limits.minTime();
        scheduleRuns(id, start, end, minTime, body.hasNonNull("min_runs") ? body.get("min_runs").asInt() : limits.minRuns(),
                body.hasNonNull("max_runs") ? body.get("max_runs").asInt() : limits.maxRuns());
    }

    // ---- schedules -----------------------------------------------------------------------------

    public List<DeploymentSchedule> schedules(UUID id) {
        return db.read(c -> {
            requireDeployment(c, id);
            return deployments.schedules(c, id);
        });
    }

    /** {@code POST /deployments/{id}/schedules}: adds them, slugs unique within the deployment. */
    public List<DeploymentSchedule> createSchedules(UUID id, JsonNode body) {
        List<DeploymentScheduleCreate> created = checked(DeploymentScheduleCreate.listOrNull(body), body);
        requireUniqueSlugs(created);
        return db.write(c -> {
            requireDeployment(c, id);
            List<UUID> ids = new ArrayList<>();
            for (DeploymentScheduleCreate schedule : created) {
                if (schedule.slug() != null && deployments.slugTaken(c, id, schedule.slug())) {
                    throw ApiException.detail(422, "Schedule slugs must be unique within a deployment.");
                }
                ids.add(deployments.insertSchedule(c, id, schedule));
            }
            List<DeploymentSchedule> out = new ArrayList<>();
            for (UUID scheduleId : ids) {
                out.add(deployments.schedule(c, id, scheduleId));
            }
            return out;
        });
    }

    /** {@code PATCH /deployments/{id}/schedules/{schedule_id}}: the fields sent; auto-scheduled future runs are deleted. */
    public void updateSchedule(UUID id, UUID scheduleId, JsonNode body) {
        db.write(c -> {
            requireDeployment(c, id);
            Map<String, Object> columns = DeploymentSchedules.sentColumns(body);
            if (columns.get("schedule") instanceof ObjectNode schedule) {
                columns.put("schedule", storedSchedule(schedule, body, List.of("body", "schedule")));
            }
            if (!deployments.updateSchedule(c, id, scheduleId, columns)) {
                throw ApiException.notFound("Schedule not found.");
            }
            flowRuns.deleteScheduledRuns(c, id, true, true);
            return null;
        });
    }

    public void deleteSchedule(UUID id, UUID scheduleId) {
        db.write(c -> {
            requireDeployment(c, id);
            if (!deployments.deleteSchedule(c, id, scheduleId)) {
                throw ApiException.notFound("Schedule not found.");
            }
            flowRuns.deleteScheduledRuns(c, id, true, true);
            return null;
        });
    }

    /** {@code /filter}, {@code /count} and {@code /paginate}. */
    /** {@code /ui/flows/count-deployments}: deployments per flow, 0 for a flow without any, in the order asked. */
    public ObjectNode countByFlow(List<UUID> flowIds) {
        Map<UUID, Long> counts = db.read(c -> deployments.countByFlow(c, flowIds));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        flowIds.forEach(id -> out.put(id.toString(), counts.getOrDefault(id, 0L)));
        return out;
    }

    public Listings listings() {
        return listings;
    }

    // ---- checks --------------------------------------------------------------------------------

    /** Each schedule as upstream's model stores it; a cron, rrule or zone its validators refuse is a 422 at its place in the body. */
    private static List<DeploymentScheduleCreate> checked(List<DeploymentScheduleCreate> schedules, JsonNode body, Object... path) {
        if (schedules == null) {
            return null;
        }
        List<DeploymentScheduleCreate> out = new ArrayList<>();
        for (int i = 0; i < schedules.size(); i++) {
            DeploymentScheduleCreate s = schedules.get(i);
            if (s.schedule() == null) {
                out.add(s);
                continue;
            }
            List<Object> loc = new ArrayList<>(List.of("body"));
            loc.addAll(List.of(path));
            loc.add(i);
            loc.add("schedule");
            out.add(s.withSchedule(storedSchedule(s.schedule(), body, loc)));
        }
        return out;
    }

    private static ObjectNode storedSchedule(ObjectNode schedule, JsonNode body, List<Object> loc) {
        try {
            return Schedules.normalized(schedule, Times.now());
        } catch (InvalidScheduleException e) {
            List<Object> at = new ArrayList<>(loc);
            at.add(e.field());
            throw new InvalidRequestException(new ValidationErrors().add("value_error", at, "Value error, " + e.getMessage(),
                    schedule.get(e.field())), body);
        }
    }

    private void requireDeployment(Connection c, UUID id) throws SQLException {
        if (deployments.byId(c, id) == null) {
            throw ApiException.notFound(NOT_FOUND + ".");
        }
    }

    private static void requireUniqueSlugs(List<DeploymentScheduleCreate> schedules) {
        Set<String> seen = new HashSet<>();
        if (schedules != null && schedules.stream().filter(s -> s.slug() != null).anyMatch(s -> !seen.add(s.slug()))) {
            throw ApiException.detail(422, "Schedule slugs must be unique within a deployment.");
        }
    }

    private static void requireParameters(JsonNode schema, JsonNode parameters, String prefix, boolean required) {
        if (schema == null || !schema.isObject()) {
            throw ApiException.detail(409, "Error updating deployment: Cannot update parameters because parameter schema enforcement "
                    + "is enabled and the deployment does not have a valid parameter schema.");
        }
        JsonNode applied = required ? schema : ((ObjectNode) schema.deepCopy()).without("required");
        ParameterSchema.problem(applied, parameters).ifPresent(problem -> {
            throw ApiException.detail(409, prefix + problem);
        });
    }

    /**
     * work_pool_name and work_queue_name become the deployment's queue, as upstream resolves them: the
     * pool's default queue when none is named, the named queue made when missing, a queue named
     * without a pool looked up (or made) in {@value #DEFAULT_AGENT_POOL}. Job variables sent are
     * checked against the pool's template, its required variables left for the runs to supply.
     */
    private void putWorkQueue(Connection c, Map<String, Object> columns, JsonNode body, String refused) throws SQLException {
        String pool = Json.text(body, "work_pool_name");
        String queue = Json.text(body, "work_queue_name");
        WorkQueue resolved;
        if (pool != null && !pool.equals(DEFAULT_AGENT_POOL)) {
            WorkPool workPool = workPoolService.requirePool(c, pool);
            if (body.path("job_variables").isObject() && !body.get("job_variables").isEmpty()) {
                JobVariablesSchema.problem(workPool.baseJobTemplate(), List.of(body.get("job_variables")), false).ifPresent(problem -> {
                    throw ApiException.detail(422, refused + problem);
                });
            }
            resolved = queue == null ? workPoolService.defaultQueue(c, workPool) : workPoolService.queueOrCreate(c, workPool, queue);
        } else if (queue != null) {
            resolved = workPoolService.legacyQueueOrCreate(c, queue);
        } else {
            return;
        }
        columns.put("work_queue_id", resolved.id().toString());
        columns.put("work_queue_name", resolved.name());
    }

    private static ObjectNode scheduledNow() {
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("type", "SCHEDULED").put("name", "Scheduled");
        state.putObject("state_details").put("scheduled_time", Times.iso(Times.now()));
        return state;
    }

}
