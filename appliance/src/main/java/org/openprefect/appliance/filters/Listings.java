package org.openprefect.appliance.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/** The {@code /filter}, {@code /count} and {@code /paginate} endpoints, the same for every {@link Filterable}. */
public final class Listings {
    private final Database db;
    private final Filterable<?> rows;
    private final String defaultSort;
    private final int defaultLimit;
    private final CountShortcut shortcut;

    /**
     * A faster way to the count of some filter bodies (counts kept ahead of time); empty for the
     * others, which are counted from the rows.
     */
    @FunctionalInterface
    public interface CountShortcut {
        OptionalLong count(Connection c, JsonNode body) throws SQLException;
    }

    public Listings(Database db, Filterable<?> rows, String defaultSort, int defaultLimit) {
        this(db, rows, defaultSort, defaultLimit, (c, body) -> OptionalLong.empty());
    }

    public Listings(Database db, Filterable<?> rows, String defaultSort, int defaultLimit, CountShortcut shortcut) {
        this.db = db;
        this.rows = rows;
        this.defaultSort = defaultSort;
        this.defaultLimit = defaultLimit;
        this.shortcut = shortcut;
    }

    public List<ObjectNode> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = rows.where(body);
        return db.read(c -> json(rows.filter(c, where, sort(body), paging.limit(), paging.offset())));
    }

    public long count(JsonNode body) {
        Where where = rows.where(body);
        return db.read(c -> count(c, where, body));
    }

    /** upstream's {@code *PaginationResponse}: results of the page, the total count, pages. */
    public ObjectNode paginate(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        Where where = rows.where(body);
        return db.read(c -> paging.paginated(json(rows.filter(c, where, sort(body), paging.limit(), paging.offset())), count(c, where, body)));
    }

    private long count(Connection c, Where where, JsonNode body) throws SQLException {
        OptionalLong fast = shortcut.count(c, body);
        return fast.isPresent() ? fast.getAsLong() : rows.count(c, where);
    }

    private static List<ObjectNode> json(List<? extends WireShape> found) {
        return found.stream().map(WireShape::toJson).toList();
    }

    private String sort(JsonNode body) {
        return body.path("sort").asText(defaultSort);
    }
}
