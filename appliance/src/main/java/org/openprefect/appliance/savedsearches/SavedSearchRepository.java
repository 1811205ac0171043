package org.openprefect.appliance.savedsearches;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.db.Where;
import org.openprefect.appliance.filters.Filterable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** All SQL of {@code saved_search}. */
public final class SavedSearchRepository implements Filterable<SavedSearch> {
    private static final String COLUMNS = "id, created, updated, name, filters";

    private final SqlDialect dialect;

    public SavedSearchRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** Creates the search, or replaces the filters of the one with the same name. */
    public void upsert(Connection c, UUID id, String name, JsonNode filters) throws SQLException {
        String now = dialect.timestamp(Times.now());
        Rows.update(c, "INSERT INTO saved_search (id, created, updated, name, filters) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET filters = excluded.filters, updated = excluded.updated", List.of(id.toString(), now, now, name, filters));
    }

    public SavedSearch byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM saved_search WHERE id = ?", List.of(id.toString()), this::savedSearch);
    }

    public SavedSearch byName(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM saved_search WHERE name = ?", List.of(name), this::savedSearch);
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM saved_search WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** The filter body has paging only: every search matches. */
    @Override
    public Where where(JsonNode body) {
        return new Where();
    }

    @Override
    public List<SavedSearch> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException {
        return Rows.page(c, "SELECT " + COLUMNS + " FROM saved_search", where, "name", limit, offset, this::savedSearch);
    }

    @Override
    public long count(Connection c, Where where) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM saved_search WHERE " + where.sql(), where.params());
    }

    private SavedSearch savedSearch(ResultSet rs) throws SQLException {
        return new SavedSearch(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"), rs.getString("name"),
                Rows.json(rs, "filters"));
    }
}
