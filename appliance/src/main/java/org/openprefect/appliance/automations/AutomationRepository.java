package org.openprefect.appliance.automations;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** All SQL of automations and the resources they relate to (owned by, related to). */
public final class AutomationRepository implements Filterable<Automation> {
    private final SqlDialect dialect;

    public AutomationRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public void insert(Connection c, Automation a) throws SQLException {
        Rows.update(c, "INSERT INTO automation (id, created, updated, name, description, enabled, tags, trigger, actions, actions_on_trigger, "
                + "actions_on_resolve) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", List.of(a.id().toString(), dialect.timestamp(a.created()),
                dialect.timestamp(a.updated()), a.name(), a.description(), a.enabled(), Json.MAPPER.valueToTree(a.tags()), a.trigger(), a.actions(),
                a.actionsOnTrigger(), a.actionsOnResolve()));
    }

    public Automation byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT * FROM automation WHERE id = ?", List.of(id.toString()), this::automation);
    }

    /** The columns given; false when there is no such automation. */
    public boolean update(Connection c, UUID id, Map<String, ?> columns) throws SQLException {
        return Rows.updateColumns(c, "automation", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString())) > 0;
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM automation WHERE id = ?", List.of(id.toString())) > 0;
    }

    public List<Automation> relatedTo(Connection c, String resourceId) throws SQLException {
        return Rows.query(c, "SELECT automation.* FROM automation WHERE automation.id IN (SELECT automation_id FROM "
                + "automation_related_resource WHERE resource_id = ?) ORDER BY automation.created, automation.id", List.of(resourceId),
                this::automation);
    }

    /** Deletes the automations a resource owns (a deployment's triggers, re-created when it is applied again). */
    public int deleteOwnedBy(Connection c, String resourceId) throws SQLException {
        return Rows.update(c, "DELETE FROM automation WHERE id IN (SELECT automation_id FROM automation_related_resource "
                + "WHERE resource_id = ? AND automation_owned_by_resource = ?)", List.of(resourceId, true));
    }

    /** Relates an automation to a resource; an existing relation becomes owned when {@code owned} (never the other way). */
    public void relate(Connection c, UUID automationId, String resourceId, boolean owned) throws SQLException {
        String now = dialect.timestamp(Times.now());
        Rows.update(c, "INSERT INTO automation_related_resource (id, created, updated, automation_id, resource_id, automation_owned_by_resource) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (automation_id, resource_id) DO UPDATE SET automation_owned_by_resource = "
                + "(automation_related_resource.automation_owned_by_resource OR excluded.automation_owned_by_resource), updated = excluded.updated",
                List.of(UUID.randomUUID().toString(), now, now, automationId.toString(), resourceId, owned));
    }

    /** Drops the automation's deployment relations that it does not own (upstream re-derives them from the actions on every write). */
    public void unrelateDeployments(Connection c, UUID automationId) throws SQLException {
        Rows.update(c, "DELETE FROM automation_related_resource WHERE automation_id = ? AND resource_id LIKE 'prefect.deployment.%' "
                + "AND automation_owned_by_resource = ?", List.of(automationId.toString(), false));
    }

    /** An AutomationFilter: name {@code any_}, created {@code before_}, tags. */
    @Override
    public Where where(JsonNode body) {
        JsonNode f = body.path("automations");
        Where w = new Where();
        if (!f.isObject()) {
            return w;
        }
        List<String> names = Json.texts(f.path("name").get("any_"));
        if (f.path("name").hasNonNull("any_")) {
            w.add(names.isEmpty() ? "1=0" : "automation.name IN (" + Where.placeholders(names.size()) + ")", names.toArray());
        }
        if (f.path("created").hasNonNull("before_")) {
            w.add("automation.created <= ?", dialect.timestamp(Times.parse(f.path("created").get("before_").asText())));
        }
        JsonNode tags = f.path("tags");
        if (tags.hasNonNull("all_")) {
            w.add(dialect.jsonArrayContainsAll("automation.tags"), tags.get("all_").toString());
        }
        if (tags.hasNonNull("any_")) {
            w.add(dialect.jsonArrayContainsAny("automation.tags"), tags.get("any_").toString());
        }
        return new Where().add(w, "or_".equals(f.path("operator").asText("and_")));
    }

    @Override
    public List<Automation> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        String orderBy = switch (sort) {
            case "CREATED_DESC" -> "automation.created DESC, automation.id";
            case "UPDATED_DESC" -> "automation.updated DESC, automation.id";
            case "NAME_DESC" -> "automation.name DESC, automation.id";
            default -> "automation.name, automation.id";
        };
        return Rows.page(c, "SELECT * FROM automation", where, orderBy, limit, offset, this::automation);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM automation WHERE " + where.sql(), where.params());
    }

    private Automation automation(ResultSet rs) throws SQLException {
        return new Automation(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getString("description"), rs.getBoolean("enabled"), Json.texts(Rows.json(rs, "tags")),
                AutomationShapes.stored(Rows.json(rs, "trigger")), Rows.json(rs, "actions"), Rows.json(rs, "actions_on_trigger"),
                Rows.json(rs, "actions_on_resolve"));
    }
}
