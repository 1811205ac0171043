package org.openprefect.appliance.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's filter objects ({@code FlowFilter}, {@code FlowRunFilter}, ...) as SQL conditions on
 * the tables {@code flow}, {@code flow_run}, {@code task_run}, {@code deployment}, {@code log},
 * the work-pool tables, {@code block_type}, {@code block_schema}, {@code block_document},
 * {@code variable}, {@code artifact} and {@code artifact_collection}.
 * Bodies are validated against the OpenAPI schemas before they get here, so unknown keys and wrong
 * types never arrive; absent or null criteria add no condition.
 */
public final class FilterSql {
    /** The task runs that are a subflow's parent: few, so {@code IN} over them beats a probe of flow_run per task run. */
    public static final String SUBFLOW_PARENTS = "SELECT child.parent_task_run_id FROM flow_run AS child WHERE child.parent_task_run_id IS NOT NULL";
    private static final JsonNode ANONYMOUS_EXCLUDED = JsonNodeFactory.instance.objectNode().put("eq_", false);

    private final SqlDialect dialect;

    public FilterSql(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public Where flows(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        ids(w, "flow.id", f.path("id"));
        names(w, "flow.name", f.path("name"));
        tags(w, "flow.tags", f.path("tags"));
        JsonNode deployment = f.path("deployment");
        if (has(deployment, "is_null_")) {
            w.add((deployment.get("is_null_").asBoolean() ? "NOT " : "") + "EXISTS (SELECT 1 FROM deployment WHERE deployment.flow_id = flow.id)");
        }
        return combined(w, f);
    }

    public Where flowRuns(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        ids(w, "flow_run.id", f.path("id"));
        names(w, "flow_run.name", f.path("name"));
        tags(w, "flow_run.tags", f.path("tags"));
        nested(w, f.path("deployment_id"), n -> {
            Where x = new Where();
            anyOf(x, "flow_run.deployment_id", n.path("any_"));
            isNull(x, "flow_run.deployment_id", n.path("is_null_"));
            return x;
        });
        nested(w, f.path("work_queue_name"), n -> {
            Where x = new Where();
            anyOf(x, "flow_run.work_queue_name", n.path("any_"));
            isNull(x, "flow_run.work_queue_name", n.path("is_null_"));
            return x;
        });
        nested(w, f.path("state"), n -> {
            Where x = new Where();
            anyOf(x, "flow_run.state_type", n.path("type").path("any_"));
            notAnyOf(x, "flow_run.state_type", n.path("type").path("not_any_"));
            anyOf(x, "flow_run.state_name", n.path("name").path("any_"));
            notAnyOf(x, "flow_run.state_name", n.path("name").path("not_any_"));
            return x;
        });
        anyOf(w, "flow_run.flow_version", f.path("flow_version").path("any_"));
        times(w, "flow_run.start_time", f.path("start_time"));
        times(w, "flow_run.end_time", f.path("end_time"));
        times(w, "flow_run.expected_start_time", f.path("expected_start_time"));
        times(w, "flow_run.next_scheduled_start_time", f.path("next_scheduled_start_time"));
        nested(w, f.path("parent_flow_run_id"), n -> {
            Where x = new Where();
            if (has(n, "any_")) {
                List<String> ids = texts(n.get("any_"));
                // The parent run's tasks, then their subflows by the partial index on parent_task_run_id (r0008;
                // IS NOT NULL lets the planner use it): an EXISTS per run read every flow run (3 s at a million).
                x.add(ids.isEmpty() ? "1=0" : "flow_run.parent_task_run_id IS NOT NULL AND flow_run.parent_task_run_id IN (SELECT parent_task.id FROM task_run AS parent_task "
                        + "WHERE parent_task.flow_run_id IN (" + Where.placeholders(ids.size()) + "))", ids.toArray());
            }
            return x;
        });
        nested(w, f.path("parent_task_run_id"), n -> {
            Where x = new Where();
            anyOf(x, "flow_run.parent_task_run_id", n.path("any_"));
            isNull(x, "flow_run.parent_task_run_id", n.path("is_null_"));
            return x;
        });
        anyOf(w, "flow_run.idempotency_key", f.path("idempotency_key").path("any_"));
        notAnyOf(w, "flow_run.idempotency_key", f.path("idempotency_key").path("not_any_"));
        nested(w, f.path("created_by"), n -> {
            Where x = new Where();
            anyOf(x, dialect.jsonField("flow_run.created_by", "id"), n.path("id_"));
            anyOf(x, dialect.jsonField("flow_run.created_by", "type"), n.path("type_"));
            isNull(x, "flow_run.created_by", n.path("is_null_"));
            return x;
        });
        return combined(w, f);
    }

    public Where taskRuns(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "task_run.id", f.path("id").path("any_"));
        names(w, "task_run.name", f.path("name"));
        tags(w, "task_run.tags", f.path("tags"));
        nested(w, f.path("state"), n -> {
            Where x = new Where();
            anyOf(x, "task_run.state_type", n.path("type").path("any_"));
            anyOf(x, "task_run.state_name", n.path("name").path("any_"));
            return x;
        });
        times(w, "task_run.start_time", f.path("start_time"));
        times(w, "task_run.end_time", f.path("end_time"));
        times(w, "task_run.expected_start_time", f.path("expected_start_time"));
        JsonNode subflows = f.path("subflow_runs");
        if (has(subflows, "exists_")) {
            w.add("task_run.id " + (subflows.get("exists_").asBoolean() ? "" : "NOT ") + "IN (" + SUBFLOW_PARENTS + ")");
        }
        nested(w, f.path("flow_run_id"), n -> {
            Where x = new Where();
            anyOf(x, "task_run.flow_run_id", n.path("any_"));
            isNull(x, "task_run.flow_run_id", n.path("is_null_"));
            return x;
        });
        return combined(w, f);
    }

    public Where deployments(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        ids(w, "deployment.id", f.path("id"));
        names(w, "deployment.name", f.path("name"));
        JsonNode either = f.path("flow_or_deployment_name");
        if (has(either, "like_")) {
            String needle = either.get("like_").asText();
            w.add("(" + dialect.containsIgnoringCase("deployment.name") + " OR EXISTS (SELECT 1 FROM flow AS dflow WHERE dflow.id = deployment.flow_id AND "
                    + dialect.containsIgnoringCase("dflow.name") + "))", needle, needle);
        }
        if (has(f.path("paused"), "eq_")) {
            w.add("deployment.paused = ?", f.path("paused").get("eq_").asBoolean());
        }
        tags(w, "deployment.tags", f.path("tags"));
        anyOf(w, "deployment.work_queue_name", f.path("work_queue_name").path("any_"));
        JsonNode limit = f.path("concurrency_limit");
        if (has(limit, "ge_")) {
            w.add("deployment.concurrency_limit >= ?", limit.get("ge_").asInt());
        }
        if (has(limit, "le_")) {
            w.add("deployment.concurrency_limit <= ?", limit.get("le_").asInt());
        }
        isNull(w, "deployment.concurrency_limit", limit.path("is_null_"));
        return combined(w, f);
    }

    public Where workPools(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "work_pool.id", f.path("id").path("any_"));
        anyOf(w, "work_pool.name", f.path("name").path("any_"));
        anyOf(w, "work_pool.type", f.path("type").path("any_"));
        return combined(w, f);
    }

    /** A WorkerFilter: status and last heartbeat. */
    public Where workers(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "worker.status", f.path("status").path("any_"));
        notAnyOf(w, "worker.status", f.path("status").path("not_any_"));
        times(w, "worker.last_heartbeat_time", f.path("last_heartbeat_time"));
        return combined(w, f);
    }

    public Where workQueues(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "work_queue.id", f.path("id").path("any_"));
        anyOf(w, "work_queue.name", f.path("name").path("any_"));
        if (has(f.path("name"), "startswith_")) {
            Where x = new Where();
            for (String prefix : texts(f.path("name").get("startswith_"))) {
                x.add("work_queue.name LIKE ? || '%'", prefix);
            }
            w.add(x, true);
        }
        return combined(w, f);
    }

    public Where logs(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        JsonNode level = f.path("level");
        if (has(level, "ge_")) {
            w.add("log.level >= ?", level.get("ge_").asInt());
        }
        if (has(level, "le_")) {
            w.add("log.level <= ?", level.get("le_").asInt());
        }
        times(w, "log.timestamp", f.path("timestamp"));
        anyOf(w, "log.flow_run_id", f.path("flow_run_id").path("any_"));
        anyOf(w, "log.task_run_id", f.path("task_run_id").path("any_"));
        isNull(w, "log.task_run_id", f.path("task_run_id").path("is_null_"));
        JsonNode text = f.path("text");
        if (has(text, "query")) {
            w.add(dialect.containsIgnoringCase("log.message"), text.get("query").asText());
        }
        return combined(w, f);
    }

    /** A BlockTypeFilter on {@code block_type}: name like, slug any. */
    public Where blockTypes(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        if (has(f.path("name"), "like_")) {
            w.add(dialect.containsIgnoringCase("block_type.name"), f.path("name").get("like_").asText());
        }
        anyOf(w, "block_type.slug", f.path("slug").path("any_"));
        return w;
    }

    /** A BlockSchemaFilter on {@code block_schema}. */
    public Where blockSchemas(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "block_schema.id", f.path("id").path("any_"));
        anyOf(w, "block_schema.block_type_id", f.path("block_type_id").path("any_"));
        anyOf(w, "block_schema.version", f.path("version").path("any_"));
        if (present(f.path("block_capabilities").path("all_"))) {
            w.add(dialect.jsonArrayContainsAll("block_schema.capabilities"), f.path("block_capabilities").get("all_").toString());
        }
        return combined(w, f);
    }

    /**
     * A BlockDocumentFilter on {@code block_document}. As upstream's model, a filter without an
     * {@code is_anonymous} criterion leaves anonymous documents out; an explicit null lets them in.
     */
    public Where blockDocuments(JsonNode f) {
        Where w = new Where();
        JsonNode anonymous = absent(f) || !f.has("is_anonymous") ? ANONYMOUS_EXCLUDED : f.get("is_anonymous");
        if (has(anonymous, "eq_")) {
            w.add("block_document.is_anonymous = ?", anonymous.get("eq_").asBoolean());
        }
        if (absent(f)) {
            return w;
        }
        anyOf(w, "block_document.id", f.path("id").path("any_"));
        anyOf(w, "block_document.block_type_id", f.path("block_type_id").path("any_"));
        names(w, "block_document.name", f.path("name"));
        return combined(w, f);
    }

    /** A VariableFilter on {@code variable}. */
    public Where variables(JsonNode f) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, "variable.id", f.path("id").path("any_"));
        names(w, "variable.name", f.path("name"));
        tags(w, "variable.tags", f.path("tags"));
        return combined(w, f);
    }

    /**
     * An ArtifactFilter on {@code artifact}, or an ArtifactCollectionFilter on
     * {@code artifact_collection} (whose id criterion is {@code latest_id}).
     */
    public Where artifacts(JsonNode f, String table) {
        Where w = new Where();
        if (absent(f)) {
            return w;
        }
        anyOf(w, table + ".id", f.path("id").path("any_"));
        anyOf(w, table + ".latest_id", f.path("latest_id").path("any_"));
        JsonNode key = f.path("key");
        names(w, table + ".key", key);
        if (has(key, "exists_")) {
            w.add(table + ".key IS " + (key.get("exists_").asBoolean() ? "NOT NULL" : "NULL"));
        }
        anyOf(w, table + ".flow_run_id", f.path("flow_run_id").path("any_"));
        anyOf(w, table + ".task_run_id", f.path("task_run_id").path("any_"));
        anyOf(w, table + ".type", f.path("type").path("any_"));
        notAnyOf(w, table + ".type", f.path("type").path("not_any_"));
        return combined(w, f);
    }

    // ---- criteria -------------------------------------------------------------------------

    private void ids(Where w, String column, JsonNode criteria) {
        anyOf(w, column, criteria.path("any_"));
        notAnyOf(w, column, criteria.path("not_any_"));
    }

    private void names(Where w, String column, JsonNode criteria) {
        anyOf(w, column, criteria.path("any_"));
        if (present(criteria.path("like_"))) {
            w.add(dialect.containsIgnoringCase(column), criteria.get("like_").asText());
        }
    }

    private void tags(Where w, String column, JsonNode criteria) {
        nested(w, criteria, n -> {
            Where x = new Where();
            if (present(n.path("all_"))) {
                x.add(dialect.jsonArrayContainsAll(column), n.get("all_").toString());
            }
            if (present(n.path("any_"))) {
                x.add(dialect.jsonArrayContainsAny(column), n.get("any_").toString());
            }
            if (present(n.path("is_null_"))) {
                String length = dialect == SqlDialect.POSTGRESQL ? "jsonb_array_length(" + column + ")" : "json_array_length(" + column + ")";
                String empty = "(" + column + " IS NULL OR " + length + " = 0)";
                x.add(n.get("is_null_").asBoolean() ? empty : "NOT " + empty);
            }
            return x;
        });
    }

    private void times(Where w, String column, JsonNode criteria) {
        if (present(criteria.path("before_"))) {
            w.add(column + " <= ?", dialect.timestamp(Times.parse(criteria.get("before_").asText())));
        }
        if (present(criteria.path("after_"))) {
            w.add(column + " >= ?", dialect.timestamp(Times.parse(criteria.get("after_").asText())));
        }
        isNull(w, column, criteria.path("is_null_"));
    }

    private static void anyOf(Where w, String column, JsonNode values) {
        if (!present(values)) {
            return;
        }
        List<String> list = texts(values);
        w.add(list.isEmpty() ? "1=0" : column + " IN (" + Where.placeholders(list.size()) + ")", list.toArray());
    }

    private static void notAnyOf(Where w, String column, JsonNode values) {
        if (!present(values)) {
            return;
        }
        List<String> list = texts(values);
        if (!list.isEmpty()) {
            w.add("(" + column + " IS NULL OR " + column + " NOT IN (" + Where.placeholders(list.size()) + "))", list.toArray());
        }
    }

    private static void isNull(Where w, String column, JsonNode flag) {
        if (present(flag)) {
            w.add(column + (flag.asBoolean() ? " IS NULL" : " IS NOT NULL"));
        }
    }

    private interface NestedCriteria {
        Where build(JsonNode node);
    }

    /** A criteria object with its own {@code operator} (and_ / or_) over its sub-criteria. */
    private static void nested(Where w, JsonNode node, NestedCriteria criteria) {
        if (absent(node)) {
            return;
        }
        w.add(criteria.build(node), "or_".equals(node.path("operator").asText("and_")));
    }

    private static Where combined(Where inner, JsonNode filter) {
        return new Where().add(inner, "or_".equals(filter.path("operator").asText("and_")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull();
    }

    private static boolean present(JsonNode n) {
        return !absent(n);
    }

    private static boolean has(JsonNode n, String field) {
        return present(n) && present(n.path(field));
    }
}
