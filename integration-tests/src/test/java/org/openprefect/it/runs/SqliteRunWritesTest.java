package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.SqliteServer;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state change writes only the run columns it changes: SQLite rewrites the index entries of every
 * column an UPDATE names, changed or not, and flow_run has two dozen indexes. Triggers that fire on
 * {@code UPDATE OF} a column show which columns each transition named; the run read back over REST
 * shows nothing was lost.
 */
class SqliteRunWritesTest {
    private static final List<String> WATCHED = List.of("state_type", "start_time", "end_time", "total_run_time", "empirical_policy",
            "expected_start_time", "next_scheduled_start_time");
    private static SqliteServer sqlite;

    @BeforeAll
    static void start() throws Exception {
        sqlite = SqliteServer.start("openprefect-run-writes-");
        try (Connection c = sqlite.connect()) {
            Sql.exec(c, "CREATE TABLE test_written_columns (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, col TEXT)");
            for (String column : WATCHED) {
                Sql.exec(c, "CREATE TRIGGER test_written_" + column + " AFTER UPDATE OF " + column + " ON flow_run "
                        + "BEGIN INSERT INTO test_written_columns (run_id, col) VALUES (NEW.id, '" + column + "'); END");
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        sqlite.close();
    }

    @Test
    void eachStateChangeNamesOnlyTheColumnsItChanges() throws Exception {
        Api api = new Api(sqlite.server().api(""));
        String flowId = api.post("/flows/", "{\"name\":\"run-writes\"}", 201).get("id").asText();
        UUID run = UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"PENDING\"}}", 201)
                .get("id").asText());
        List<String> created = takeWritten(run);
        assertTrue(created.contains("state_type"), "the first state is written onto the new row: " + created);
        assertTrue(!created.contains("start_time") && !created.contains("end_time") && !created.contains("empirical_policy"), created.toString());

        assertEquals("ACCEPT", api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201).get("status").asText());
        List<String> running = takeWritten(run);
        assertTrue(running.containsAll(List.of("state_type", "start_time")), running.toString());
        assertTrue(!running.contains("end_time") && !running.contains("empirical_policy") && !running.contains("next_scheduled_start_time"),
                "columns Running leaves as they were are not named: " + running);

        assertEquals("ACCEPT", api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201).get("status").asText());
        List<String> completed = takeWritten(run);
        assertTrue(completed.containsAll(List.of("state_type", "end_time", "total_run_time")), completed.toString());
        assertTrue(!completed.contains("start_time") && !completed.contains("expected_start_time"), completed.toString());

        JsonNode stored = api.get("/flow_runs/" + run, 200);
        assertEquals("COMPLETED", stored.at("/state/type").asText());
        assertEquals(1, stored.get("run_count").asInt());
        assertTrue(!stored.get("start_time").isNull() && !stored.get("end_time").isNull(), stored.toString());
        assertTrue(stored.get("total_run_time").asDouble() >= 0, stored.toString());
    }

    @Test
    void aRetryWritesThePolicyItChanged() throws Exception {
        Api api = new Api(sqlite.server().api(""));
        String flowId = api.post("/flows/", "{\"name\":\"run-writes-retry\"}", 201).get("id").asText();
        UUID run = UUID.fromString(api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"PENDING\"},"
                + "\"empirical_policy\":{\"retries\":1,\"retry_delay\":0}}", 201).get("id").asText());
        api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
        takeWritten(run);
        JsonNode failed = api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"FAILED\"}}", 201);
        assertEquals("AwaitingRetry", failed.at("/state/name").asText(), failed.toString());
        assertTrue(takeWritten(run).contains("empirical_policy"), "the retry's bookkeeping is stored");
        assertEquals(1, api.get("/flow_runs/" + run, 200).at("/empirical_policy/retries").asInt());
    }

    /** The columns named by the run's updates since the last call, and forgets them. */
    private static List<String> takeWritten(UUID run) throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection c = sqlite.connect();
             var s = c.prepareStatement("SELECT col FROM test_written_columns WHERE run_id = ? ORDER BY seq")) {
            s.setString(1, run.toString());
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            Sql.exec(c, "DELETE FROM test_written_columns WHERE run_id = '" + run + "'");
        }
        return columns;
    }
}
