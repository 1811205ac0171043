package org.openprefect.appliance.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.InvalidInputException;

import java.util.List;

/** limit / offset / page as upstream reads them from filter bodies. */
public record Paging(int limit, int offset, int page) {

    /** {@code limit} defaults to and may not exceed PREFECT_SERVER_API_DEFAULT_LIMIT. */
    public static Paging of(JsonNode body, int defaultLimit) {
        int limit = body.hasNonNull("limit") ? body.get("limit").asInt() : defaultLimit;
        if (limit > defaultLimit || limit < 0) {
            throw new InvalidInputException("Invalid limit: must be less than or equal to " + defaultLimit + ".");
        }
        int page = body.hasNonNull("page") ? body.get("page").asInt() : 1;
        int offset = body.has("page") ? (page - 1) * limit : body.path("offset").asInt(0);
        return new Paging(limit, offset, page);
    }

    /** upstream's {@code *PaginationResponse}: results, count, limit, pages, page. */
    public ObjectNode paginated(List<? extends JsonNode> results, long count) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("results").addAll(results);
        json.put("count", count);
        json.put("limit", limit);
        json.put("pages", limit == 0 ? 0 : (int) Math.ceil((double) count / limit));
        json.put("page", page);
        return json;
    }
}
