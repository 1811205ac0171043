package org.openprefect.appliance.savedsearches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.http.ApiException;

import java.util.UUID;

/** Saved searches: named filter sets of the UI, replaced when saved again under the same name. */
public final class SavedSearchService {
    /** A saved search and whether this call created it (201) or replaced its filters (200). */
    public record Saved(SavedSearch search, boolean created) {
    }

    private static final String NOT_FOUND = "Saved search not found";

    private final Database db;
    private final SavedSearchRepository searches;
    private final Listings listings;

    public SavedSearchService(Database db, int defaultLimit) {
        this.db = db;
        this.searches = new SavedSearchRepository(db.dialect());
        this.listings = new Listings(db, searches, "NAME_ASC", defaultLimit);
    }

    /** {@code PUT /saved_searches/} with a body validated against {@code SavedSearchCreate}. */
    public Saved save(JsonNode body) {
        String name = body.get("name").asText();
        JsonNode filters = body.hasNonNull("filters") ? body.get("filters") : JsonNodeFactory.instance.arrayNode();
        return db.write(c -> {
            UUID id = UUID.randomUUID();
            searches.upsert(c, id, name, filters);
            SavedSearch saved = searches.byName(c, name);
            return new Saved(saved, saved.id().equals(id));
        });
    }

    public SavedSearch read(UUID id) {
        return ApiException.found(db.read(c -> searches.byId(c, id)), NOT_FOUND);
    }

    public void delete(UUID id) {
        if (!db.write(c -> searches.delete(c, id))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    public Listings listings() {
        return listings;
    }
}
