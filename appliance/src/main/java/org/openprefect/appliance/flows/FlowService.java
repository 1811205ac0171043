package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;

import java.util.List;
import java.util.UUID;

/** Flows: what the API does with them, as plain methods. */
public final class FlowService {
    private final Database db;
    private final FlowRepository flows;
    private final int defaultLimit;
    private final Listings listings;

    public FlowService(Database db, int defaultLimit) {
        this.db = db;
        this.flows = new FlowRepository(db.dialect());
        this.defaultLimit = defaultLimit;
        this.listings = new Listings(db, flows, "NAME_ASC", defaultLimit);
    }

    /** Idempotent by name: returns the existing flow unchanged, or the new one. */
    public FlowUpsert create(FlowCreate flow) {
        return db.write(c -> flows.upsertByName(c, flow));
    }

    public Flow read(UUID id) {
        return ApiException.found(db.read(c -> flows.byId(c, id)), "Flow not found");
    }

    public Flow readByName(String name) {
        return ApiException.found(db.read(c -> flows.byName(c, name)), "Flow not found");
    }

    public void update(UUID id, FlowUpdate update) {
        boolean found = db.write(c -> update.tags() == null ? flows.byId(c, id) != null : flows.updateTags(c, id, update.tags()));
        if (!found) {
            throw ApiException.notFound("Flow not found");
        }
    }

    public void delete(UUID id) {
        if (!db.write(c -> flows.delete(c, id))) {
            throw ApiException.notFound("Flow not found");
        }
    }

    public ObjectNode bulkDelete(JsonNode body) {
        int limit = body.path("limit").asInt(50);
        Where where = flows.where(body);
        List<UUID> deleted = db.write(c -> {
            List<UUID> ids = flows.ids(c, where, limit);
            for (UUID id : ids) {
                flows.delete(c, id);
            }
            return ids;
        });
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        deleted.forEach(id -> json.withArray("deleted").add(id.toString()));
        json.withArray("deleted");
        return json;
    }

    /** {@code /filter}, {@code /count} and {@code /paginate}. */
    public Listings listings() {
        return listings;
    }
}
