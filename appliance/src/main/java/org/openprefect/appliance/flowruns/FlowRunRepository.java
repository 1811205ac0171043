package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.AfterCommit;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.events.Event;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;
import org.openprefect.appliance.orchestration.DeploymentConcurrency;
import org.openprefect.appliance.orchestration.RunRecord;
import org.openprefect.appliance.orchestration.RunStore;
import org.openprefect.appliance.orchestration.RunTable;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateRows;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.taskruns.TaskRunRepository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** All SQL of flow runs and their states; also the {@link RunStore} orchestration works through. */
public final class FlowRunRepository extends RunTable implements Filterable<FlowRun> {
    private final FilterSql filters;
    private final String select;
    private final Consumer<Event> emitEvent;
    private final DeploymentConcurrency deploymentConcurrency;
    private final TaskRunRepository parentTasks;

    public FlowRunRepository(SqlDialect dialect) {
        this(dialect, event -> { }, null);
    }

    /**
     * @param emitEvent where the {@code prefect.flow-run.*} events of written states go (stored asynchronously)
     * @param deploymentConcurrency the deployments' limits the orchestration rules take slots of; null for none
     */
    public FlowRunRepository(SqlDialect dialect, Consumer<Event> emitEvent, DeploymentConcurrency deploymentConcurrency) {
        super(dialect, "flow_run", "flow_run_state", "flow_run_id");
        this.deploymentConcurrency = deploymentConcurrency;
        this.filters = new FilterSql(dialect);
        this.emitEvent = emitEvent;
        this.parentTasks = new TaskRunRepository(dialect);
        this.select = "SELECT flow_run.*, " + dialect.seconds("flow_run.total_run_time") + " AS total_run_time_s, "
                + StateRows.joinedColumns("state_") + ", work_pool.id AS work_pool_id, work_pool.name AS work_pool_name "
                + "FROM flow_run LEFT JOIN flow_run_state s ON s.id = flow_run.state_id "
                + "LEFT JOIN artifact sa ON sa.id = s.result_artifact_id "
                + "LEFT JOIN work_queue ON work_queue.id = flow_run.work_queue_id "
                + "LEFT JOIN work_pool ON work_pool.id = work_queue.work_pool_id";
    }


    /** Inserts a run without a state; the caller applies the first state through orchestration. */
    public void insert(Connection c, NewFlowRun run) throws SQLException {
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, deployment_version, work_queue_id, "
                        + "work_queue_name, flow_version, parameters, idempotency_key, context, empirical_policy, tags, labels, created_by, "
                        + "job_variables, infrastructure_document_id, parent_task_run_id, auto_scheduled, run_count, total_run_time) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                Arrays.asList(run.id().toString(), dialect.timestamp(now), dialect.timestamp(now), run.name(), run.flowId().toString(),
                        Rows.text(run.deploymentId()), run.deploymentVersion(), Rows.text(run.workQueueId()), run.workQueueName(),
                        run.flowVersion(), run.parameters(), run.idempotencyKey(), run.context(), run.empiricalPolicy(), run.tags(),
                        run.labels(), run.createdBy(), run.jobVariables(), Rows.text(run.infrastructureDocumentId()),
                        Rows.text(run.parentTaskRunId()), false, dialect.interval(0)));
    }

    /**
     * The scheduler's insert (upstream's _insert_scheduled_flow_runs): the run unless the flow has one
     * with its idempotency key, already in its Scheduled state, written without orchestration or an
     * event, as upstream's bulk insert writes it. True when it was inserted.
     */
    public boolean insertScheduled(Connection c, NewFlowRun run, Instant at, boolean autoScheduled) throws SQLException {
        Instant now = Times.now();
        int inserted = Rows.update(c, "INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, deployment_version, "
                        + "work_queue_id, work_queue_name, flow_version, parameters, idempotency_key, context, empirical_policy, tags, "
                        + "labels, created_by, job_variables, infrastructure_document_id, parent_task_run_id, auto_scheduled, run_count, "
                        + "total_run_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) "
                        + "ON CONFLICT (flow_id, idempotency_key) DO NOTHING",
                Arrays.asList(run.id().toString(), dialect.timestamp(now), dialect.timestamp(now), run.name(), run.flowId().toString(),
                        Rows.text(run.deploymentId()), run.deploymentVersion(), Rows.text(run.workQueueId()), run.workQueueName(),
                        run.flowVersion(), run.parameters(), run.idempotencyKey(), run.context(), run.empiricalPolicy(), run.tags(),
                        run.labels(), run.createdBy(), run.jobVariables(), Rows.text(run.infrastructureDocumentId()),
                        Rows.text(run.parentTaskRunId()), autoScheduled, dialect.interval(0)));
        if (inserted == 0) {
            return false;
        }
        RunRecord record = loadForUpdate(c, run.id());
        ObjectNode details = JsonNodeFactory.instance.objectNode().put("scheduled_time", Times.iso(at));
        State scheduled = State.of(StateType.SCHEDULED, "Scheduled", "Flow run scheduled", now, details);
        writeState(c, record, scheduled);
        record.stateType = StateType.SCHEDULED;
        record.stateName = scheduled.name();
        record.stateTimestamp = scheduled.timestamp();
        record.expectedStartTime = at;
        record.nextScheduledStartTime = at;
        saveRun(c, record);
        return true;
    }

    /** Ids of runs in any of these state types, by id after {@code afterId}; {@code condition} narrows them further. */
    public List<UUID> idsInStates(Connection c, List<String> stateTypes, String condition, List<Object> conditionParams, UUID afterId,
                                  int limit) throws SQLException {
        List<Object> params = new ArrayList<>(stateTypes);
        params.addAll(conditionParams);
        String after = "";
        if (afterId != null) {
            after = " AND flow_run.id > ?";
            params.add(afterId.toString());
        }
        params.add(limit);
        return Rows.query(c, "SELECT flow_run.id FROM flow_run WHERE flow_run.state_type IN (" + Where.placeholders(stateTypes.size())
                + ")" + (condition.isEmpty() ? "" : " AND " + condition) + after + " ORDER BY flow_run.id LIMIT ?", params,
                rs -> Rows.uuid(rs, "id"));
    }

    /** The state type of the flow run a task run belongs to (a subflow's parent run), or null. */
    public String stateTypeOfFlowRunHolding(Connection c, UUID taskRunId) throws SQLException {
        return Rows.queryOne(c, "SELECT flow_run.state_type FROM task_run JOIN flow_run ON flow_run.id = task_run.flow_run_id "
                + "WHERE task_run.id = ?", List.of(taskRunId.toString()), rs -> rs.getString("state_type"));
    }

    /** MarkLateRuns' query: plain Scheduled runs due at or before {@code before}. */
    public List<FlowRunService.LateCandidate> lateCandidates(Connection c, Instant before, int limit) throws SQLException {
        return Rows.query(c, "SELECT id, next_scheduled_start_time FROM flow_run WHERE next_scheduled_start_time <= ? "
                        + "AND state_type = 'SCHEDULED' AND state_name = 'Scheduled' ORDER BY next_scheduled_start_time LIMIT ?",
                List.of(dialect.timestamp(before), limit),
                rs -> new FlowRunService.LateCandidate(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "next_scheduled_start_time")));
    }

    public void deleteScheduled(Connection c, UUID deploymentId, boolean autoScheduledOnly, Instant after) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(deploymentId.toString()));
        String sql = "DELETE FROM flow_run WHERE deployment_id = ? AND state_type = 'SCHEDULED' "
                + "AND state_name <> 'AwaitingConcurrencySlot' AND run_count = 0";
        if (autoScheduledOnly) {
            sql += " AND auto_scheduled = ?";
            params.add(true);
        }
        if (after != null) {
            sql += " AND next_scheduled_start_time > ?";
            params.add(dialect.timestamp(after));
        }
        Rows.update(c, sql, params);
    }

    public List<FlowRun> scheduledOf(Connection c, List<UUID> deploymentIds, Instant before, int limit) throws SQLException {
        if (deploymentIds.isEmpty()) {
            return List.of();
        }
        Where where = new Where();
        where.add("flow_run.deployment_id IN (" + Where.placeholders(deploymentIds.size()) + ")",
                deploymentIds.stream().map(UUID::toString).toArray());
        where.add("flow_run.state_type = ?", "SCHEDULED");
        if (before != null) {
            where.add("flow_run.next_scheduled_start_time <= ?", dialect.timestamp(before));
        }
        return Rows.page(c, select, where, orderBy("NEXT_SCHEDULED_START_TIME_ASC"), limit, 0, this::flowRun);
    }

    public UUID idByIdempotencyKey(Connection c, UUID flowId, String key) throws SQLException {
        return Rows.queryOne(c, "SELECT id FROM flow_run WHERE flow_id = ? AND idempotency_key = ?", List.of(flowId.toString(), key),
                rs -> Rows.uuid(rs, "id"));
    }

    public FlowRun read(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, select + " WHERE flow_run.id = ?", List.of(id.toString()), this::flowRun);
    }

    public boolean exists(Connection c, UUID id) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** Sets the given columns (already JSON/text values) on a run; false when there is no such run. */
    public boolean update(Connection c, UUID id, Map<String, Object> columns) throws SQLException {
        return Rows.updateColumns(c, "flow_run", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString())) > 0;
    }

    public JsonNode labels(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT labels FROM flow_run WHERE id = ?", List.of(id.toString()), rs -> Rows.json(rs, "labels"));
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        Rows.update(c, "DELETE FROM log WHERE flow_run_id = ?", List.of(id.toString()));
        return Rows.update(c, "DELETE FROM flow_run WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** The filter body's conditions on flow runs, including related flows, task runs and deployments. */
    @Override
    public Where where(JsonNode body) {
        Where w = new Where().add(filters.flowRuns(body.path("flow_runs")), false);
        w.exists("SELECT 1 FROM flow WHERE flow.id = flow_run.flow_id", filters.flows(body.path("flows")));
        w.exists("SELECT 1 FROM task_run WHERE task_run.flow_run_id = flow_run.id", filters.taskRuns(body.path("task_runs")));
        w.exists("SELECT 1 FROM deployment WHERE deployment.id = flow_run.deployment_id", filters.deployments(body.path("deployments")));
        // "The run's queue is one of these" rather than EXISTS per run: the queues are few, and the index on
        // flow_run.work_queue_id finds their runs (SQLite otherwise probes every run: 180 ms at 100,000 runs).
        inQueues(w, "SELECT work_queue.id FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id WHERE ",
                filters.workPools(body.path("work_pools")));
        inQueues(w, "SELECT work_queue.id FROM work_queue WHERE ",
                filters.workQueues(body.has("work_pool_queues") ? body.path("work_pool_queues") : body.path("work_queues")));
        return w;
    }

    private static void inQueues(Where w, String queues, Where condition) {
        if (!condition.isEmpty()) {
            // IS NOT NULL (implied by IN) lets the planner use the index of the runs that have a queue (r0007).
            w.add("flow_run.work_queue_id IS NOT NULL AND flow_run.work_queue_id IN (" + queues + condition.sql() + ")", condition.params().toArray());
        }
    }

    @Override
    public List<FlowRun> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, select, where, orderBy(sort), limit, offset, this::flowRun);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run WHERE " + where.sql(), where.params());
    }

    public List<UUID> ids(Connection c, Where where, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(where.params());
        params.add(limit);
        return Rows.query(c, "SELECT flow_run.id FROM flow_run WHERE " + where.sql() + " ORDER BY flow_run.id DESC LIMIT ?", params,
                rs -> Rows.uuid(rs, "id"));
    }

    static String orderBy(String sort) {
        String startOrExpected = "coalesce(flow_run.start_time, flow_run.expected_start_time)";
        return switch (sort) {
            case "START_TIME_ASC" -> startOrExpected + " ASC, flow_run.id";
            case "START_TIME_DESC" -> startOrExpected + " DESC, flow_run.id DESC";
            case "EXPECTED_START_TIME_ASC" -> "flow_run.expected_start_time ASC, flow_run.id";
            case "EXPECTED_START_TIME_DESC" -> "flow_run.expected_start_time DESC, flow_run.id DESC";
            case "NAME_ASC" -> "flow_run.name ASC, flow_run.id";
            case "NAME_DESC" -> "flow_run.name DESC, flow_run.id DESC";
            case "NEXT_SCHEDULED_START_TIME_ASC" -> "flow_run.next_scheduled_start_time ASC, flow_run.id";
            case "END_TIME_DESC" -> "flow_run.end_time DESC, flow_run.id DESC";
            default -> "flow_run.id DESC";
        };
    }

    // ---- RunStore ------------------------------------------------------------------------------




    @Override
    public void writeState(Connection c, RunRecord run, State state) throws SQLException {
        states.insert(c, run.id, run.id, null, state);
        run.stateId = state.id();
    }

    @Override
    protected Map<String, Object> savedColumns(RunRecord run) {
        Map<String, Object> columns = super.savedColumns(run);
        columns.put("empirical_policy", run.empiricalPolicy);
        return columns;
    }

    /** Announces the written state ({@link FlowRunStateEvent}) once the transaction commits: a write that rolls back emits nothing. */
    @Override
    public void stateWritten(Connection c, RunRecord run, State initial, State written) throws SQLException {
        FlowRunStateEvent.Subject subject = Rows.queryOne(c, "SELECT flow_run.name AS run_name, flow_run.tags AS run_tags, "
                        + "flow_run.created_by, flow.id AS flow_id, flow.name AS flow_name, flow.tags AS flow_tags, deployment.id AS d_id, "
                        + "deployment.name AS d_name, deployment.tags AS d_tags, work_queue.id AS q_id, work_queue.name AS q_name, "
                        + "work_pool.id AS p_id, work_pool.name AS p_name, work_pool.type AS p_type, task_run.id AS t_id, "
                        + "task_run.name AS t_name, task_run.tags AS t_tags FROM flow_run JOIN flow ON flow.id = flow_run.flow_id "
                        + "LEFT JOIN deployment ON deployment.id = flow_run.deployment_id "
                        + "LEFT JOIN work_queue ON work_queue.id = flow_run.work_queue_id "
                        + "LEFT JOIN work_pool ON work_pool.id = work_queue.work_pool_id "
                        + "LEFT JOIN task_run ON task_run.id = flow_run.parent_task_run_id WHERE flow_run.id = ?",
                List.of(run.id.toString()), rs -> {
                    List<FlowRunStateEvent.Related> related = new ArrayList<>();
                    related.add(new FlowRunStateEvent.Related("flow", Rows.uuid(rs, "flow_id"), rs.getString("flow_name"),
                            texts(rs, "flow_tags"), null));
                    if (rs.getString("d_id") != null) {
                        related.add(new FlowRunStateEvent.Related("deployment", Rows.uuid(rs, "d_id"), rs.getString("d_name"),
                                texts(rs, "d_tags"), null));
                    }
                    if (rs.getString("q_id") != null) {
                        related.add(new FlowRunStateEvent.Related("work-queue", Rows.uuid(rs, "q_id"), rs.getString("q_name"), List.of(), null));
                    }
                    if (rs.getString("p_id") != null) {
                        related.add(new FlowRunStateEvent.Related("work-pool", Rows.uuid(rs, "p_id"), rs.getString("p_name"), List.of(),
                                rs.getString("p_type")));
                    }
                    if (rs.getString("t_id") != null) {
                        related.add(new FlowRunStateEvent.Related("task-run", Rows.uuid(rs, "t_id"), rs.getString("t_name"),
                                texts(rs, "t_tags"), null));
                    }
                    return new FlowRunStateEvent.Subject(run.id, rs.getString("run_name"), run.runCount, texts(rs, "run_tags"), related,
                            Rows.json(rs, "created_by"));
                });
        if (subject != null) {
            Event event = FlowRunStateEvent.of(subject, initial, written);
            AfterCommit.run(() -> emitEvent.accept(event));
        }
    }

    @Override
    public String kindLabel() {
        return "Flow run";
    }

    @Override
    public RunStore parentTaskStore() {
        return parentTasks;
    }

    @Override
    protected RunRecord record(ResultSet rs) throws SQLException {
        RunRecord r = readBookkeeping(rs, new RunRecord());
        r.deploymentId = Rows.uuid(rs, "deployment_id");
        r.parentTaskRunId = Rows.uuid(rs, "parent_task_run_id");
        r.infrastructurePid = rs.getString("infrastructure_pid");
        return r;
    }

    /** A row of {@code select}: the run, its current state, its pool; the estimates as of now. */
    private FlowRun flowRun(ResultSet rs) throws SQLException {
        return new FlowRun(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), Rows.uuid(rs, "flow_id"), Rows.uuid(rs, "state_id"), Rows.uuid(rs, "deployment_id"),
                rs.getString("deployment_version"), Rows.uuid(rs, "work_queue_id"), rs.getString("work_queue_name"),
                rs.getString("flow_version"), objectOrEmpty(rs, "parameters"), rs.getString("idempotency_key"),
                objectOrEmpty(rs, "context"), FlowRunPolicies.normalized(Rows.json(rs, "empirical_policy")), texts(rs, "tags"),
                objectOrEmpty(rs, "labels"), Rows.uuid(rs, "parent_task_run_id"), times(rs, Times.now()),
                rs.getBoolean("auto_scheduled"), Rows.uuid(rs, "infrastructure_document_id"), rs.getString("infrastructure_pid"),
                Rows.json(rs, "created_by"), Rows.uuid(rs, "work_pool_id"), rs.getString("work_pool_name"),
                states.fromJoined(rs, "state_"), objectOrEmpty(rs, "job_variables"));
    }

    @Override
    public DeploymentConcurrency deploymentConcurrency() {
        return deploymentConcurrency;
    }
}
