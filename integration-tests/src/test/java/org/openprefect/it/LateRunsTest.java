package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The late-runs service (upstream's MarkLateRuns), on servers whose loop runs every 0.3 s and
 * marks runs 1 s overdue: an overdue Scheduled run becomes Late with its event, a future one does
 * not. On SQLite and on PostgreSQL (the query and the orchestration write differ by dialect).
 */
class LateRunsTest {
    private static Prefect fastLoop(String home) throws Exception {
        return new Prefect(Files.createTempDirectory(home))
                .env("PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS", "0.3")
                .env("PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS", "PT1S");
    }

    @Test
    void onSqlite() throws Exception {
        try (RunningServer server = RunningServer.start(fastLoop("openprefect-late-"))) {
            anOverdueScheduledRunIsMarkedLateAndAFutureOneIsNot(server);
        }
    }

    @Test
    void onPostgres() throws Exception {
        String database = Sql.createPostgresDatabase();
        try (RunningServer server = RunningServer.start(fastLoop("openprefect-late-pg-")
                .env("PREFECT_SERVER_DATABASE_CONNECTION_URL", Sql.postgresUrl(database)))) {
            anOverdueScheduledRunIsMarkedLateAndAFutureOneIsNot(server);
        } finally {
            Sql.dropPostgresDatabase(database);
        }
    }

    private static String scheduledRun(Api api, String flowId, Instant at) {
        return api.post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"SCHEDULED\",\"state_details\":"
                + "{\"scheduled_time\":\"" + at + "\"}}}", 201).get("id").asText();
    }

    private static void anOverdueScheduledRunIsMarkedLateAndAFutureOneIsNot(RunningServer server) throws Exception {
        Api api = new Api(server.api(""));
        String flowId = api.post("/flows/", "{\"name\":\"late-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        String overdue = scheduledRun(api, flowId, Instant.now().minusSeconds(60));
        String future = scheduledRun(api, flowId, Instant.now().plusSeconds(3600));

        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode run;
        do {
            run = api.get("/flow_runs/" + overdue, 200);
            Thread.sleep(100);
        } while (!"Late".equals(run.get("state_name").asText()) && System.nanoTime() < deadline);
        assertEquals("Late", run.get("state_name").asText(), run.toString());
        assertEquals("SCHEDULED", run.get("state_type").asText());
        assertEquals(2, api.get("/flow_run_states/?flow_run_id=" + overdue, 200).size(), "Scheduled, then Late, once");

        Thread.sleep(1000);
        assertEquals("Scheduled", api.get("/flow_runs/" + future, 200).get("state_name").asText());
        assertEquals(2, api.get("/flow_run_states/?flow_run_id=" + overdue, 200).size(), "a Late run is not marked again");

        long eventDeadline = System.nanoTime() + 10_000_000_000L;
        JsonNode events;
        do {
            events = api.post("/events/filter", "{\"filter\":{\"event\":{\"name\":[\"prefect.flow-run.Late\"]},"
                    + "\"resource\":{\"id\":[\"prefect.flow-run." + overdue + "\"]}}}", 200);
            Thread.sleep(100);
        } while (events.get("total").asInt() == 0 && System.nanoTime() < eventDeadline);
        assertEquals(1, events.get("total").asInt(), "the Late state emits its event: " + events);
    }
}
