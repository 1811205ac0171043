package org.openprefect.appliance.automations;

import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The SQL of automations that other resources reach by their resource id (owned by, related to). */
public final class AutomationRepository {
    private final SqlDialect dialect;

    public AutomationRepository(SqlDialect dialect) {
        this.dialect = dialect;
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

    private Automation automation(ResultSet rs) throws SQLException {
        return new Automation(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getString("name"), rs.getString("description"), rs.getBoolean("enabled"), Json.texts(Rows.json(rs, "tags")),
                Rows.json(rs, "trigger"), Rows.json(rs, "actions"), Rows.json(rs, "actions_on_trigger"),
                Rows.json(rs, "actions_on_resolve"));
    }
}
