package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.http.Paging;

import java.util.List;

/** Logs shipped by clients, and the queries the UI makes of them. */
public final class LogService {
    private final Database db;
    private final LogRepository logs;
    private final int defaultLimit;

    public LogService(Database db, int defaultLimit) {
        this.db = db;
        this.logs = new LogRepository(db.dialect());
        this.defaultLimit = defaultLimit;
    }

    public void create(JsonNode batch) {
        if (!batch.isEmpty()) {
            db.write(c -> {
                logs.insertAll(c, batch);
                return null;
            });
        }
    }

    public List<ObjectNode> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> logs.filter(c, body.path("logs"), body.path("sort").asText("TIMESTAMP_ASC"), paging.limit(), paging.offset()));
    }
}
