package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.FilterSql;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL of flows. */
public final class FlowRepository implements Filterable<Flow> {
    private static final String COLUMNS = "flow.id, flow.created, flow.updated, flow.name, flow.tags, flow.labels";

    private final SqlDialect dialect;
    private final FilterSql filters;

    public FlowRepository(SqlDialect dialect) {
        this.dialect = dialect;
        this.filters = new FilterSql(dialect);
    }

    /** Inserts the flow unless one with the name exists; either way returns the stored flow and whether it is new. */
    public FlowUpsert upsertByName(Connection c, FlowCreate flow) throws SQLException {
        Instant now = Times.now();
        int inserted = Rows.update(c, "INSERT INTO flow (id, created, updated, name, tags, labels) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING",
                List.of(Ids.v4().toString(), dialect.timestamp(now), dialect.timestamp(now), flow.name(),
                        Json.MAPPER.valueToTree(flow.tags()).toString(), flow.labels().toString()));
        return new FlowUpsert(byName(c, flow.name()), inserted > 0);
    }

    public Flow byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM flow WHERE id = ?", List.of(id.toString()), this::flow);
    }

    public Flow byName(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM flow WHERE name = ?", List.of(name), this::flow);
    }

    public boolean updateTags(Connection c, UUID id, List<String> tags) throws SQLException {
        return Rows.update(c, "UPDATE flow SET tags = ?, updated = ? WHERE id = ?",
                List.of(Json.MAPPER.valueToTree(tags).toString(), dialect.timestamp(Times.now()), id.toString())) > 0;
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM flow WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** The filter body's conditions on flows, including the "related objects exist" ones. */
    @Override
    public Where where(JsonNode body) {
        Where w = new Where().add(filters.flows(body.path("flows")), false);
        Where runs = filters.flowRuns(body.path("flow_runs"))
                .exists("SELECT 1 FROM task_run WHERE task_run.flow_run_id = flow_run.id", filters.taskRuns(body.path("task_runs")));
        w.exists("SELECT 1 FROM flow_run WHERE flow_run.flow_id = flow.id", runs);
        w.exists("SELECT 1 FROM deployment WHERE deployment.flow_id = flow.id", filters.deployments(body.path("deployments")));
        w.exists("SELECT 1 FROM deployment JOIN work_queue ON work_queue.id = deployment.work_queue_id "
                + "JOIN work_pool ON work_pool.id = work_queue.work_pool_id WHERE deployment.flow_id = flow.id", filters.workPools(body.path("work_pools")));
        return w;
    }

    @Override
    public List<Flow> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM flow", where, orderBy(sort), limit, offset, this::flow);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM flow WHERE " + where.sql(), where.params());
    }

    public List<UUID> ids(Connection c, Where where, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(where.params());
        params.add(limit);
        return Rows.query(c, "SELECT flow.id FROM flow WHERE " + where.sql() + " ORDER BY flow.name LIMIT ?", params, rs -> Rows.uuid(rs, "id"));
    }

    private static String orderBy(String sort) {
        return switch (sort) {
            case "NAME_DESC" -> "flow.name DESC";
            case "CREATED_DESC" -> "flow.created DESC, flow.id";
            case "UPDATED_DESC" -> "flow.updated DESC, flow.id";
            default -> "flow.name ASC";
        };
    }

    private Flow flow(ResultSet rs) throws SQLException {
        JsonNode labels = Rows.json(rs, "labels");
        return new Flow(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), Json.texts(Rows.json(rs, "tags")),
                labels.isObject() ? (ObjectNode) labels : JsonNodeFactory.instance.objectNode());
    }
}
