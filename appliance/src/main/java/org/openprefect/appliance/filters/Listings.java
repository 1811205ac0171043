package org.openprefect.appliance.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;

import java.util.List;

/** The {@code /filter}, {@code /count} and {@code /paginate} endpoints, the same for every {@link Filterable}. */
public final class Listings {
    private final Database db;
    private final Filterable<?> rows;
    private final String defaultSort;
    private final int defaultLimit;

    public Listings(Database db, Filterable<?> rows, String defaultSort, int defaultLimit) {
        this.db = db;
        this.rows = rows;
        this.defaultSort = defaultSort;
        this.defaultLimit = defaultLimit;
    }

    public List<ObjectNode> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = rows.where(body);
        return db.read(c -> json(rows.filter(c, where, sort(body), paging.limit(), paging.offset())));
    }

    public long count(JsonNode body) {
        Where where = rows.where(body);
        return db.read(c -> rows.count(c, where));
    }

    /** upstream's {@code *PaginationResponse}: results of the page, the total count, pages. */
    public ObjectNode paginate(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = rows.where(body);
        return db.read(c -> paging.paginated(json(rows.filter(c, where, sort(body), paging.limit(), paging.offset())), rows.count(c, where)));
    }

    private static List<ObjectNode> json(List<? extends WireShape> found) {
        return found.stream().map(WireShape::toJson).toList();
    }

    private String sort(JsonNode body) {
        return body.path("sort").asText(defaultSort);
    }
}
