package org.openprefect.appliance.filters;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.db.Where;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A repository whose rows the API lists with upstream's filter bodies: {@code /filter}, {@code /count}, {@code /paginate}. */
public interface Filterable<T extends WireShape> {
    /** The filter body's conditions (its own filter object plus the related-resource ones). */
    Where where(JsonNode body);

    List<T> filter(Connection c, Where where, String sort, int limit, int offset) throws SQLException;

    long count(Connection c, Where where) throws SQLException;
}
