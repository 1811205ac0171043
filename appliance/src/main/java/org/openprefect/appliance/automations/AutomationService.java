package org.openprefect.appliance.automations;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Automations: stored, listed, updated and related to resources as upstream keeps them. Their
 * triggers are not evaluated yet (no triggers service): an automation saved here does nothing
 * until that service exists.
 */
public final class AutomationService {
    private static final String NOT_FOUND = "Automation not found";

    private final Database db;
    private final AutomationRepository automations;
    private final Listings listings;

    public AutomationService(Database db, int defaultLimit) {
        this.db = db;
        this.automations = new AutomationRepository(db.dialect());
        this.listings = new Listings(db, automations, "NAME_ASC", defaultLimit);
    }

    /** {@code POST /automations/}: a body validated against {@code AutomationCreate}; its {@code owner_resource} owns it. */
    public Automation create(JsonNode body) {
        Instant now = Times.now();
        Automation automation = new Automation(UUID.randomUUID(), now, now, body.get("name").asText(), body.path("description").asText(""),
                body.path("enabled").asBoolean(true), Json.texts(body.get("tags")), AutomationShapes.trigger(body.get("trigger")),
                AutomationShapes.actions(body.get("actions")), AutomationShapes.actions(body.get("actions_on_trigger")),
                AutomationShapes.actions(body.get("actions_on_resolve")));
        String owner = Json.text(body, "owner_resource");
        return db.write(c -> {
            automations.insert(c, automation);
            relateDeployments(c, automation.id(), automation);
            if (owner != null) {
                automations.relate(c, automation.id(), owner, true);
            }
            return automations.byId(c, automation.id());
        });
    }

    public Automation read(UUID id) {
        return found(db.read(c -> automations.byId(c, id)));
    }

    /** {@code PUT}: the whole automation replaced (an {@code AutomationUpdate}). */
    public void replace(UUID id, JsonNode body) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("name", body.get("name").asText());
        columns.put("description", body.path("description").asText(""));
        columns.put("enabled", body.path("enabled").asBoolean(true));
        columns.put("tags", Json.MAPPER.valueToTree(Json.texts(body.get("tags"))));
        columns.put("trigger", AutomationShapes.trigger(body.get("trigger")));
        columns.put("actions", AutomationShapes.actions(body.get("actions")));
        columns.put("actions_on_trigger", AutomationShapes.actions(body.get("actions_on_trigger")));
        columns.put("actions_on_resolve", AutomationShapes.actions(body.get("actions_on_resolve")));
        db.write(c -> {
            found(automations.byId(c, id));
            automations.update(c, id, columns);
            relateDeployments(c, id, automations.byId(c, id));
            return null;
        });
    }

    /** {@code PATCH}: {@code enabled} only. */
    public void setEnabled(UUID id, boolean enabled) {
        if (!db.write(c -> automations.update(c, id, Map.of("enabled", enabled)))) {
            throw notFound();
        }
    }

    public void delete(UUID id) {
        if (!db.write(c -> automations.delete(c, id))) {
            throw notFound();
        }
    }

    public List<Automation> relatedTo(String resourceId) {
        return db.read(c -> automations.relatedTo(c, resourceId));
    }

    public void deleteOwnedBy(String resourceId) {
        db.write(c -> automations.deleteOwnedBy(c, resourceId));
    }

    public Listings listings() {
        return listings;
    }

    /** Upstream relates an automation to each deployment a {@code run-deployment} action selects. */
    private void relateDeployments(Connection c, UUID id, Automation automation) throws SQLException {
        automations.unrelateDeployments(c, id);
        Set<String> deployments = new LinkedHashSet<>();
        for (JsonNode action : automation.actions()) {
            if ("run-deployment".equals(action.path("type").asText()) && "selected".equals(action.path("source").asText("selected"))
                    && action.hasNonNull("deployment_id")) {
                deployments.add("prefect.deployment." + action.get("deployment_id").asText());
            }
        }
        for (String deployment : deployments) {
            automations.relate(c, id, deployment, false);
        }
    }

    private static Automation found(Automation automation) {
        if (automation == null) {
            throw notFound();
        }
        return automation;
    }

    /** upstream's {@code ObjectNotFoundError}: 404 with {@code exception_message}. */
    private static ApiException notFound() {
        return ApiException.exceptionMessage(404, NOT_FOUND);
    }
}
