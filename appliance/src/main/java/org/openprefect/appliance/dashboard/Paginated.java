package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.filters.Listings;

import java.util.ArrayList;
import java.util.List;

/** One page of a listing, as {@code /paginate} answers it: its documents, the total, and the links to the pages beside it. */
record Paginated(List<ObjectNode> results, long count, Pager pager) {
    /** Where the pager is and the neighbours' links (null at either end). */
    record Pager(int page, int pages, String previous, String next) {
    }

    /** The page {@code ?page=} asks for of the documents that {@code body} filters, sorts and limits. */
    static Paginated of(Listings listings, ObjectNode body, Query q, String self) {
        int asked = q.positive("page", 1);
        ObjectNode answer = listings.paginate(body.put("page", asked));
        List<ObjectNode> results = new ArrayList<>();
        answer.path("results").forEach(r -> results.add((ObjectNode) r));
        int pages = Math.max(1, answer.path("pages").asInt(1));
        return new Paginated(results, answer.path("count").asLong(), new Pager(asked, pages,
                asked > 1 ? self + q.with("page", String.valueOf(asked - 1)) : null,
                asked < pages ? self + q.with("page", String.valueOf(asked + 1)) : null));
    }

    /** A body sorting by name, with the name filter of {@code resource} ({@code flows}, {@code deployments}) when {@code ?name=} is given. */
    static ObjectNode byName(String resource, Query q, int pageSize) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("sort", "NAME_ASC").put("limit", pageSize);
        String search = q.text("name", "");
        if (!search.isEmpty()) {
            body.putObject(resource).putObject("name").put("like_", search);
        }
        return body;
    }
}
