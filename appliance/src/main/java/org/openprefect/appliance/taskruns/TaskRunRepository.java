package org.openprefect.appliance.taskruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;
import org.openprefect.appliance.orchestration.RunRecord;
import org.openprefect.appliance.orchestration.RunTable;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateRows;
import org.openprefect.appliance.orchestration.StateType;
import org.openprefect.appliance.orchestration.TagConcurrency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** All SQL of task runs and their states; the {@link RunStore} for task-run orchestration. */
public final class TaskRunRepository extends RunTable implements Filterable<TaskRun> {
    private static final String INSERT_COLUMNS = "id, created, updated, name, flow_run_id, task_key, dynamic_key, cache_key, "
            + "cache_expiration, task_version, flow_run_run_count, empirical_policy, task_inputs, tags, labels, run_count, "
            + "expected_start_time, start_time, end_time, total_run_time";

    /** Ids a lookup binds at most (SQLite's limit of bound parameters is far above; the statement stays short). */
    private static final int LOOKUP_CHUNK = 500;

    private final FilterSql filters;
    private final String select;

    private final TagConcurrency tagConcurrency;

    public TaskRunRepository(SqlDialect dialect) {
        this(dialect, null);
    }

    /** @param tagConcurrency the tag limits the orchestration rules take slots of; null for none */
    public TaskRunRepository(SqlDialect dialect, TagConcurrency tagConcurrency) {
        super(dialect, "task_run", "task_run_state", "task_run_id");
        this.tagConcurrency = tagConcurrency;
        this.filters = new FilterSql(dialect);
        this.select = "SELECT task_run.*, " + dialect.seconds("task_run.total_run_time") + " AS total_run_time_s, "
                + StateRows.joinedColumns("state_") + " FROM task_run LEFT JOIN task_run_state s ON s.id = task_run.state_id "
                + "LEFT JOIN artifact sa ON sa.id = s.result_artifact_id";
    }

    /** Inserts the task run unless one with its id or (flow_run_id, task_key, dynamic_key) exists; returns the stored id. */
    public UUID insertIfAbsent(Connection c, NewTaskRun t) throws SQLException {
        UUID existing = existingId(c, t);
        if (existing != null) {
            return existing;
        }
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO task_run (" + INSERT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values(t, now));
        return t.id();
    }

    public boolean flowRunExists(Connection c, UUID flowRunId) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow_run WHERE id = ?", List.of(flowRunId.toString())) > 0;
    }

    public UUID existingId(Connection c, NewTaskRun t) throws SQLException {
        UUID byId = Rows.queryOne(c, "SELECT id FROM task_run WHERE id = ?", List.of(t.id().toString()), rs -> Rows.uuid(rs, "id"));
        if (byId != null) {
            return byId;
        }
        StoredRun byKey = storedByKey(c, t.key(), "");
        return byKey == null ? null : byKey.id();
    }

    /** The run stored under the task's (flow_run_id, task_key, dynamic_key), also when flow_run_id is null (the keys runs are idempotent on). */
    private StoredRun storedByKey(Connection c, NewTaskRun.Key t, String lock) throws SQLException {
        return Rows.queryOne(c, "SELECT id, state_timestamp FROM task_run WHERE task_key = ? AND dynamic_key = ? AND "
                        + (t.flowRunId() == null ? "flow_run_id IS NULL" : "flow_run_id = ?") + lock,
                t.flowRunId() == null ? List.of(t.taskKey(), t.dynamicKey()) : List.of(t.taskKey(), t.dynamicKey(), t.flowRunId().toString()),
                this::storedRun);
    }

    private List<Object> values(NewTaskRun t, Instant now) {
        return Arrays.asList(t.id().toString(), dialect.timestamp(now), dialect.timestamp(now), t.name(), Rows.text(t.flowRunId()),
                t.taskKey(), t.dynamicKey(), t.cacheKey(), dialect.timestamp(t.cacheExpiration()), t.taskVersion(), t.flowRunRunCount(),
                t.empiricalPolicy(), t.taskInputs(), t.tags(), t.labels(), t.runCount(), dialect.timestamp(t.expectedStartTime()),
                dialect.timestamp(t.startTime()), dialect.timestamp(t.endTime()), dialect.interval(t.totalRunTime()));
    }

    /**
     * A task-run event's write, rendered before the transaction: the run's keys, its row with the
     * event's state (inserted when the run is new; an update of a stored run sets the same values but
     * its ids, keys and creation time), the state's time, and the state's row, or the state itself when
     * it carries a result to keep (written its own way). No JSON tree: a thousand of these wait for
     * the writer at a time, and what outlives a young collection is copied again and again.
     */
    public record Recorded(NewTaskRun.Key run, Instant stateTime, List<Object> row, List<Object> stateRow, State withResult) {
    }

    private static final String INSERT_WITH_STATE = "INSERT INTO task_run (" + INSERT_COLUMNS
            + ", state_id, state_type, state_name, state_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Sets, in order, the insert's values from {@code cache_key} on (the state's last), after {@code name} and before {@code updated}. */
    private static final String UPDATE_FROM_EVENT = "UPDATE task_run SET name = ?, cache_key = ?, cache_expiration = ?, task_version = ?, "
            + "flow_run_run_count = ?, empirical_policy = ?, task_inputs = ?, tags = ?, labels = ?, run_count = ?, expected_start_time = ?, "
            + "start_time = ?, end_time = ?, total_run_time = ?, state_id = ?, state_type = ?, state_name = ?, state_timestamp = ?, "
            + "updated = ? WHERE id = ?";
    /** Where INSERT_WITH_STATE's values have the run's updated time, its name, and its cache_key (the first of the rest UPDATE_FROM_EVENT sets). */
    private static final int UPDATED = 2;
    private static final int NAME = 3;
    private static final int CACHE_KEY = 7;

    public Recorded prepareRecord(NewTaskRun t, State state) {
        List<Object> row = new ArrayList<>(values(t, Times.now()));
        row.addAll(Arrays.asList(state.id().toString(), state.type().name(), state.name(), dialect.timestamp(state.timestamp())));
        boolean withResult = state.hasPersistedData();
        return new Recorded(t.key(), state.timestamp(), Rows.withJsonAsText(row),
                withResult ? null : Rows.withJsonAsText(states.columnsWithoutResult(state)), withResult ? state : null);
    }

    /** UPDATE_FROM_EVENT's values for the stored run {@code storedId}, taken from the recording's row. */
    private static List<Object> updateValues(Recorded r, UUID storedId) {
        List<Object> update = new ArrayList<>(20);
        update.add(r.row().get(NAME));
        update.addAll(r.row().subList(CACHE_KEY, r.row().size()));
        update.add(r.row().get(UPDATED));
        update.add(storedId.toString());
        return update;
    }

    /** A stored task run's id and the time of its current state. */
    private record StoredRun(UUID id, Instant stateTimestamp) {
    }

    /**
     * The task-run recorder's write of events stored together, in the order received: each run's
     * fields and current state follow its newest event (by state time; events may arrive out of
     * order, and an older state never replaces a newer one), and every event's state is kept. A run's
     * events that arrive together (a fast task's Pending, Running and Completed) become one write of
     * its row: one lookup of all the runs, a new run's insert with its newest state or a known run's
     * update, then the states (one batch; a state with a result to keep is written on its own). Each
     * row write also feeds the run rollup's triggers, so one instead of three matters as much as the
     * statement saved.
     */
    public void record(Connection c, List<Recorded> recordings) throws SQLException {
        Map<UUID, List<Recorded>> byRun = new LinkedHashMap<>();
        for (Recorded r : recordings) {
            byRun.computeIfAbsent(r.run().id(), id -> new ArrayList<>()).add(r);
        }
        Map<UUID, StoredRun> stored = storedRuns(c, byRun.keySet());
        Map<UUID, UUID> storedIds = new HashMap<>();
        List<Recorded> inserts = new ArrayList<>();
        List<List<Object>> updates = new ArrayList<>();
        for (List<Recorded> events : byRun.values()) {
            Recorded newest = newest(events);
            NewTaskRun.Key run = newest.run();
            StoredRun known = stored.get(run.id());
            if (known == null && run.flowRunId() == null) {
                // The unique constraint does not hold for NULLs: look the keys up first, and insert a new
                // run at once, so that a later run of these events with the same keys finds it.
                known = storedByKey(c, run, dialect.forUpdate());
                if (known == null) {
                    Rows.update(c, INSERT_WITH_STATE + " ON CONFLICT DO NOTHING", newest.row());
                    continue;
                }
            }
            if (known == null) {
                inserts.add(newest);
            } else {
                storedIds.put(run.id(), known.id());
                updateIfNewer(newest, known, updates);
            }
        }
        int[] inserted = Rows.updateEach(c, INSERT_WITH_STATE + " ON CONFLICT DO NOTHING", inserts.stream().map(Recorded::row).toList());
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i] == 0) {
                // A run of a flow run is unique by (flow_run_id, task_key, dynamic_key) too: nothing inserted means it exists under another id.
                Recorded newest = inserts.get(i);
                StoredRun known = storedByKey(c, newest.run(), dialect.forUpdate());
                storedIds.put(newest.run().id(), known.id());
                updateIfNewer(newest, known, updates);
            }
        }
        Rows.updateEach(c, UPDATE_FROM_EVENT, updates);
        List<List<Object>> stateRows = new ArrayList<>();
        List<UUID> stateRuns = new ArrayList<>();
        for (Recorded r : recordings) {
            UUID runId = storedIds.getOrDefault(r.run().id(), r.run().id());
            if (r.withResult() != null) {
                states.insertIfAbsent(c, runId, r.run().flowRunId(), runId, r.withResult());
            } else {
                stateRows.add(r.stateRow());
                stateRuns.add(runId);
            }
        }
        states.insertAllIfAbsent(c, stateRows, stateRuns);
    }

    /** The recording whose state wins: the latest by state time, the last received among equal times. */
    private static Recorded newest(List<Recorded> events) {
        Recorded newest = events.get(0);
        for (Recorded r : events) {
            if (!r.stateTime().isBefore(newest.stateTime())) {
                newest = r;
            }
        }
        return newest;
    }

    private static void updateIfNewer(Recorded newest, StoredRun known, List<List<Object>> updates) {
        if (known.stateTimestamp() == null || !newest.stateTime().isBefore(known.stateTimestamp())) {
            updates.add(updateValues(newest, known.id()));
        }
    }

    /** The stored runs among the given ids, locked on PostgreSQL; a lookup per few hundred ids. */
    private Map<UUID, StoredRun> storedRuns(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, StoredRun> found = new HashMap<>();
        List<String> all = ids.stream().map(UUID::toString).toList();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            for (StoredRun run : Rows.query(c, "SELECT id, state_timestamp FROM task_run WHERE id IN (" + Where.placeholders(chunk.size()) + ")"
                    + dialect.forUpdate(), chunk, this::storedRun)) {
                found.put(run.id(), run);
            }
        }
        return found;
    }

    private StoredRun storedRun(ResultSet rs) throws SQLException {
        return new StoredRun(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "state_timestamp"));
    }

    /** DependencyResult for each task run of a flow run: upstream task runs are the task_run inputs. */
    public List<ObjectNode> dependencies(Connection c, UUID flowRunId) throws SQLException {
        return Rows.query(c, select + " WHERE task_run.flow_run_id = ? ORDER BY task_run.expected_start_time, task_run.id",
                List.of(flowRunId.toString()), rs -> {
                    ObjectNode run = taskRun(rs).toJson();
                    ObjectNode d = JsonNodeFactory.instance.objectNode();
                    d.set("id", run.get("id"));
                    d.set("name", run.get("name"));
                    var upstream = d.putArray("upstream_dependencies");
                    Set<String> seen = new HashSet<>();
                    run.path("task_inputs").forEach(inputs -> inputs.forEach(input -> {
                        if ("task_run".equals(input.path("input_type").asText()) && seen.add(input.path("id").asText())) {
                            upstream.addObject().put("input_type", "task_run").put("id", input.path("id").asText());
                        }
                    }));
                    for (String field : List.of("state", "expected_start_time", "start_time", "end_time", "total_run_time", "estimated_run_time")) {
                        d.set(field, run.get(field));
                    }
                    d.put("untrackable_result", run.at("/state/state_details/untrackable_result").asBoolean(false));
                    return d;
                });
    }

    /** A flow run's task runs that have not finished (for cancelling them with it), at most {@code limit}. */
    public List<UUID> unfinishedOf(Connection c, UUID flowRunId, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(flowRunId.toString()));
        StateType.TERMINAL.forEach(t -> params.add(t.name()));
        params.add(limit);
        return Rows.query(c, "SELECT id FROM task_run WHERE flow_run_id = ? AND state_type NOT IN ("
                + Where.placeholders(StateType.TERMINAL.size()) + ") ORDER BY id LIMIT ?", params, rs -> Rows.uuid(rs, "id"));
    }

    public TaskRun read(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, select + " WHERE task_run.id = ?", List.of(id.toString()), this::taskRun);
    }

    public boolean rename(Connection c, UUID id, String name) throws SQLException {
        if (name == null) {
            return Rows.count(c, "SELECT count(*) FROM task_run WHERE id = ?", List.of(id.toString())) > 0;
        }
        return Rows.update(c, "UPDATE task_run SET name = ?, updated = ? WHERE id = ?",
                List.of(name, dialect.timestamp(Times.now()), id.toString())) > 0;
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        Rows.update(c, "DELETE FROM log WHERE task_run_id = ?", List.of(id.toString()));
        return Rows.update(c, "DELETE FROM task_run WHERE id = ?", List.of(id.toString())) > 0;
    }

    @Override
    public Where where(JsonNode body) {
        Where w = new Where().add(filters.taskRuns(body.path("task_runs")), false);
        w.exists("SELECT 1 FROM flow_run WHERE flow_run.id = task_run.flow_run_id", filters.flowRuns(body.path("flow_runs")));
        w.exists("SELECT 1 FROM flow_run JOIN flow ON flow.id = flow_run.flow_id WHERE flow_run.id = task_run.flow_run_id",
                filters.flows(body.path("flows")));
        w.exists("SELECT 1 FROM flow_run JOIN deployment ON deployment.id = flow_run.deployment_id WHERE flow_run.id = task_run.flow_run_id",
                filters.deployments(body.path("deployments")));
        return w;
    }

    @Override
    public List<TaskRun> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, select, where, orderBy(sort), limit, offset, this::taskRun);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM task_run WHERE " + where.sql(), where.params());
    }

    private static String orderBy(String sort) {
        return switch (sort) {
            case "EXPECTED_START_TIME_ASC" -> "task_run.expected_start_time ASC, task_run.id";
            case "EXPECTED_START_TIME_DESC" -> "task_run.expected_start_time DESC, task_run.id DESC";
            case "NAME_ASC" -> "task_run.name ASC, task_run.id";
            case "NAME_DESC" -> "task_run.name DESC, task_run.id DESC";
            case "NEXT_SCHEDULED_START_TIME_ASC" -> "task_run.next_scheduled_start_time ASC, task_run.id";
            case "END_TIME_DESC" -> "task_run.end_time DESC, task_run.id DESC";
            default -> "task_run.id DESC";
        };
    }

    // ---- RunStore ------------------------------------------------------------------------------




    @Override
    public void writeState(Connection c, RunRecord run, State state) throws SQLException {
        states.insert(c, run.id, run.flowRunId, run.id, state);
        run.stateId = state.id();
    }

    @Override
    protected Map<String, Object> savedColumns(RunRecord run) {
        Map<String, Object> columns = super.savedColumns(run);
        columns.put("flow_run_run_count", run.flowRunRunCount);
        return columns;
    }

    @Override
    public String kindLabel() {
        return "Task run";
    }

    @Override
    public ParentFlowRun parentFlowRun(Connection c, UUID flowRunId) throws SQLException {
        return Rows.queryOne(c, "SELECT flow_run.id, flow_run.state_type, flow_run.state_name, flow_run.run_count, s.state_details "
                        + "FROM flow_run LEFT JOIN flow_run_state s ON s.id = flow_run.state_id WHERE flow_run.id = ?",
                List.of(flowRunId.toString()), rs -> {
                    JsonNode details = Rows.json(rs, "state_details");
                    return new ParentFlowRun(Rows.uuid(rs, "id"),
                            rs.getString("state_type") == null ? null : StateType.valueOf(rs.getString("state_type")),
                            rs.getString("state_name"), rs.getInt("run_count"), State.normalizedDetails(details.isObject() ? details : null));
                });
    }

    @Override
    public State cachedState(Connection c, String cacheKey, Instant now) throws SQLException {
        UUID stateId = Rows.queryOne(c, "SELECT task_run_state_id FROM task_run_state_cache WHERE cache_key = ? "
                        + "AND (cache_expiration IS NULL OR cache_expiration > ?) ORDER BY created DESC LIMIT 1",
                List.of(cacheKey, dialect.timestamp(now)), rs -> Rows.uuid(rs, "task_run_state_id"));
        return stateId == null ? null : states.byId(c, stateId);
    }

    @Override
    public void insertCache(Connection c, String cacheKey, Instant expiration, UUID stateId) throws SQLException {
        Instant now = Times.now();
        Rows.update(c, "INSERT INTO task_run_state_cache (id, created, updated, cache_key, cache_expiration, task_run_state_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                Arrays.asList(Ids.v4().toString(), dialect.timestamp(now), dialect.timestamp(now),
                        cacheKey, dialect.timestamp(expiration), stateId.toString()));
    }

    @Override
    protected RunRecord record(ResultSet rs) throws SQLException {
        RunRecord r = readBookkeeping(rs, new RunRecord());
        r.flowRunId = Rows.uuid(rs, "flow_run_id");
        r.flowRunRunCount = rs.getInt("flow_run_run_count");
        r.cacheKey = rs.getString("cache_key");
        return r;
    }

    private TaskRun taskRun(ResultSet rs) throws SQLException {
        return new TaskRun(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), Rows.uuid(rs, "flow_run_id"), rs.getString("task_key"), rs.getString("dynamic_key"),
                rs.getString("cache_key"), dialect.readTimestamp(rs, "cache_expiration"), rs.getString("task_version"),
                TaskRunPolicies.normalized(Rows.json(rs, "empirical_policy")), texts(rs, "tags"), objectOrEmpty(rs, "labels"),
                Rows.uuid(rs, "state_id"), Rows.json(rs, "task_inputs"), times(rs, Times.now()), rs.getInt("flow_run_run_count"),
                states.fromJoined(rs, "state_"));
    }

    @Override
    public TagConcurrency tagConcurrency() {
        return tagConcurrency;
    }
}
