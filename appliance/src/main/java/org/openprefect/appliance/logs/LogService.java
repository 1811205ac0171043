package org.openprefect.appliance.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Paging;

import java.util.List;
import java.util.UUID;

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

    public void create(List<LogCreate> batch) {
        if (!batch.isEmpty()) {
            db.write(c -> {
                logs.insertAll(c, batch);
                return null;
            });
        }
    }

    /** All logs of a flow run as CSV (timestamp,level,flow_run_id,task_run_id,message), oldest first. */
    public String csvOfFlowRun(UUID flowRunId) {
        StringBuilder csv = new StringBuilder("timestamp,level,flow_run_id,task_run_id,message\r\n");
        ObjectNode filter = JsonNodeFactory.instance.objectNode();
        filter.putObject("flow_run_id").putArray("any_").add(flowRunId.toString());
        int offset = 0;
        while (true) {
            int from = offset;
            List<Log> page = db.read(c -> logs.filter(c, filter, "TIMESTAMP_ASC", 1000, from));
            for (Log log : page) {
                csv.append(cell(Times.iso(log.timestamp()))).append(',').append(log.level()).append(',')
                        .append(cell(log.flowRunId() == null ? "" : log.flowRunId().toString())).append(',')
                        .append(cell(log.taskRunId() == null ? "" : log.taskRunId().toString())).append(',')
                        .append(cell(log.message())).append("\r\n");
            }
            if (page.size() < 1000) {
                return csv.toString();
            }
            offset += page.size();
        }
    }

    /** Quotes a CSV cell only when it must be, as Python's csv module does by default. */
    private static String cell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    public List<Log> filter(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> logs.filter(c, body.path("logs"), body.path("sort").asText("TIMESTAMP_ASC"), paging.limit(), paging.offset()));
    }
}
