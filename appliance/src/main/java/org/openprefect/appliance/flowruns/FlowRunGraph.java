package org.openprefect.appliance.flowruns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.http.ApiException;
import org.openprefect.appliance.orchestration.State;
import org.openprefect.appliance.orchestration.StateRows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /flow_runs/{id}/graph-v2}: upstream's flow run graph (its query_components
 * {@code flow_run_graph_v2}), built here from the run's task runs instead of one SQL statement per
 * dialect. A task run is a node (a subflow's parent task is its flow run's node); an input that
 * names another node is an edge, {@code __parents__} inputs make encapsulating edges.
 */
public final class FlowRunGraph {
    /** One row of upstream's {@code edges} CTE: a node with one of its (possibly null) parents. */
    private record Edge(String kind, UUID id, String label, String stateType, Instant startTime, Instant endTime, UUID parent,
                        boolean encapsulating) {
    }

    private final Database db;
    private final SqlDialect dialect;
    private final StateRows states;
    private final int maxNodes;
    private final int maxArtifacts;

    public FlowRunGraph(Database db, int maxNodes, int maxArtifacts) {
        this.db = db;
        this.dialect = db.dialect();
        this.states = new StateRows(db.dialect(), "flow_run_state", "flow_run_id");
        this.maxNodes = maxNodes;
        this.maxArtifacts = maxArtifacts;
    }

    /** The graph of nodes that ended at or after {@code since} (or have not ended); 400 past the node limit. */
    public ObjectNode graph(UUID flowRunId, Instant since) {
        return db.read(c -> {
            ObjectNode graph = JsonNodeFactory.instance.objectNode();
            Instant[] span = Rows.queryOne(c, "SELECT coalesce(start_time, expected_start_time) AS start_time, end_time FROM flow_run WHERE id = ?",
                    List.of(flowRunId.toString()), rs -> new Instant[] {dialect.readTimestamp(rs, "start_time"), dialect.readTimestamp(rs, "end_time")});
            if (span == null) {
                throw ApiException.exceptionMessage(404, "Flow run " + flowRunId + " not found");
            }
            graph.put("start_time", Times.iso(span[0]));
            graph.put("end_time", Times.iso(span[1]));
            Map<UUID, List<ObjectNode>> artifacts = artifacts(c, flowRunId);
            ArrayNode roots = graph.putArray("root_node_ids");
            ArrayNode nodes = graph.putArray("nodes");
            for (ObjectNode node : nodes(c, flowRunId, since, artifacts)) {
                if (node.get("parents").isEmpty()) {
                    roots.add(node.get("id"));
                }
                nodes.addArray().add(node.get("id")).add(node);
            }
            ArrayNode runArtifacts = graph.putArray("artifacts");
            artifacts.getOrDefault(null, List.of()).forEach(runArtifacts::add);
            ArrayNode graphStates = graph.putArray("states");
            for (State s : states.ofRun(c, flowRunId)) {
                graphStates.addObject().put("id", s.id().toString()).put("timestamp", Times.iso(s.timestamp())).put("type", s.type().name())
                        .put("name", s.name());
            }
            return graph;
        });
    }

    private List<ObjectNode> nodes(Connection c, UUID flowRunId, Instant since, Map<UUID, List<ObjectNode>> artifacts) throws SQLException {
        List<Edge> edges = edges(c, flowRunId);
        Map<UUID, Edge> byId = new LinkedHashMap<>();
        edges.forEach(e -> byId.putIfAbsent(e.id(), e));
        Map<UUID, Set<UUID>> parents = new LinkedHashMap<>();
        Map<UUID, Set<UUID>> children = new LinkedHashMap<>();
        Map<UUID, Set<UUID>> encapsulating = new LinkedHashMap<>();
        Comparator<UUID> byStart = Comparator.comparing(id -> byId.get(id).startTime());
        for (Edge e : edges) {
            if (e.parent() == null || !byId.containsKey(e.parent())) {
                continue;
            }
            if (e.encapsulating()) {
                encapsulating.computeIfAbsent(e.id(), k -> new LinkedHashSet<>()).add(e.parent());
            } else {
                parents.computeIfAbsent(e.id(), k -> new LinkedHashSet<>()).add(e.parent());
                children.computeIfAbsent(e.parent(), k -> new LinkedHashSet<>()).add(e.id());
            }
        }
        List<Edge> kept = byId.values().stream().filter(e -> e.endTime() == null || !e.endTime().isBefore(since))
                .sorted(Comparator.comparing(Edge::startTime).thenComparing(Edge::endTime, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        if (kept.size() > maxNodes) {
            throw ApiException.detail(400, "The graph of flow run " + flowRunId + " has more than " + maxNodes + " nodes.");
        }
        List<ObjectNode> nodes = new ArrayList<>();
        for (Edge e : kept) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("kind", e.kind());
            node.put("id", e.id().toString());
            node.put("label", e.label());
            node.put("state_type", e.stateType());
            node.put("start_time", Times.iso(e.startTime()));
            node.put("end_time", Times.iso(e.endTime()));
            ids(node.putArray("parents"), parents.get(e.id()), byStart);
            ids(node.putArray("children"), children.get(e.id()), byStart);
            ids(node.putArray("encapsulating"), encapsulating.get(e.id()), byStart);
            ArrayNode nodeArtifacts = node.putArray("artifacts");
            artifacts.getOrDefault(e.id(), List.of()).forEach(nodeArtifacts::add);
            nodes.add(node);
        }
        return nodes;
    }

    private static void ids(ArrayNode into, Set<UUID> ids, Comparator<UUID> order) {
        if (ids != null) {
            ids.stream().sorted(order).forEach(id -> into.addObject().put("id", id.toString()));
        }
    }

    /** Task runs that are not PENDING and have a time, each with the node ids its inputs name. */
    private List<Edge> edges(Connection c, UUID flowRunId) throws SQLException {
        List<Edge> edges = new ArrayList<>();
        Rows.query(c, "SELECT task_run.id AS task_id, task_run.name AS task_name, task_run.state_type AS task_state, task_run.task_inputs, "
                        + "task_run.start_time AS task_start, task_run.expected_start_time AS task_expected, task_run.end_time AS task_end, "
                        + "sub.id AS sub_id, sub.name AS sub_name, sub.state_type AS sub_state, sub.start_time AS sub_start, "
                        + "sub.expected_start_time AS sub_expected, sub.end_time AS sub_end, flow.name AS flow_name "
                        + "FROM task_run LEFT JOIN flow_run sub ON sub.parent_task_run_id = task_run.id LEFT JOIN flow ON flow.id = sub.flow_id "
                        + "WHERE task_run.flow_run_id = ? AND task_run.state_type <> 'PENDING'",
                List.of(flowRunId.toString()), rs -> {
                    UUID subId = Rows.uuid(rs, "sub_id");
                    Instant start = first(dialect.readTimestamp(rs, "sub_start"), dialect.readTimestamp(rs, "sub_expected"),
                            dialect.readTimestamp(rs, "task_start"), dialect.readTimestamp(rs, "task_expected"));
                    if (start == null) {
                        return null;
                    }
                    String taskState = rs.getString("task_state");
                    Instant end = first(dialect.readTimestamp(rs, "sub_end"), dialect.readTimestamp(rs, "task_end"),
                            "COMPLETED".equals(taskState) ? dialect.readTimestamp(rs, "task_expected") : null);
                    UUID id = subId != null ? subId : Rows.uuid(rs, "task_id");
                    String label = subId != null ? rs.getString("flow_name") + " / " + rs.getString("sub_name") : rs.getString("task_name");
                    String state = subId != null ? rs.getString("sub_state") : taskState;
                    String kind = subId != null ? "flow-run" : "task-run";
                    JsonNode inputs = Rows.json(rs, "task_inputs");
                    boolean any = false;
                    for (Map.Entry<String, JsonNode> input : inputs.properties()) {
                        for (JsonNode argument : input.getValue()) {
                            UUID parent = argument.hasNonNull("id") ? Ids.parseOrNull(argument.get("id").asText()) : null;
                            edges.add(new Edge(kind, id, label, state, start, end, parent, "__parents__".equals(input.getKey())));
                            any = true;
                        }
                    }
                    if (!any) {
                        edges.add(new Edge(kind, id, label, state, start, end, null, false));
                    }
                    return null;
                });
        return edges;
    }

    /** Artifacts of the run other than results, oldest first, by task run (null: the run's own). */
    private Map<UUID, List<ObjectNode>> artifacts(Connection c, UUID flowRunId) throws SQLException {
        Map<UUID, List<ObjectNode>> byTask = new LinkedHashMap<>();
        Rows.query(c, "SELECT artifact.id, artifact.created, artifact.key, artifact.type, artifact.data, artifact.task_run_id, "
                        + "artifact_collection.id AS latest_entry FROM artifact LEFT JOIN artifact_collection "
                        + "ON artifact_collection.key = artifact.key AND artifact_collection.latest_id = artifact.id "
                        + "WHERE artifact.flow_run_id = ? AND (artifact.type IS NULL OR artifact.type <> 'result') ORDER BY artifact.created LIMIT ?",
                List.of(flowRunId.toString(), maxArtifacts), rs -> {
                    ObjectNode a = JsonNodeFactory.instance.objectNode();
                    a.put("id", rs.getString("id"));
                    a.put("created", Times.iso(dialect.readTimestamp(rs, "created")));
                    String key = rs.getString("key");
                    a.put("key", key);
                    String type = rs.getString("type");
                    a.put("type", type);
                    a.put("is_latest", key == null || rs.getString("latest_entry") != null);
                    // Upstream sends data only for progress artifacts.
                    a.set("data", "progress".equals(type) ? Rows.json(rs, "data") : NullNode.getInstance());
                    byTask.computeIfAbsent(Rows.uuid(rs, "task_run_id"), k -> new ArrayList<>()).add(a);
                    return null;
                });
        return byTask;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
