package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.TestDatabase;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counts and histories the UI asks for, answered from the run rollup (r0009), are exactly what
 * counting the runs gives: each body is sent as the UI sends it (which the rollup answers) and with
 * a filter on the one flow every run here belongs to (same runs, which only the runs themselves
 * answer), over windows with bounds at any microsecond, before and after the background fold, and
 * after runs change state (through the API, by a background service and in SQL) and are deleted.
 * Each body is asked twice in a row, so nothing may change runs between the two: the server marks
 * no run Late here (the seed names overdue scheduled runs Late, as that service would), and the
 * subflow and task run that cancelling their parent leaves to the cancellation cleanup are awaited.
 */
class RunRollupTest {
    private static final List<List<String>> STATE_FILTERS = List.of(List.of(), List.of("COMPLETED"), List.of("FAILED", "CRASHED"),
            List.of("RUNNING", "PENDING", "CANCELLING"), List.of("SCHEDULED", "PAUSED"), List.of("COMPLETED", "FAILED", "CRASHED", "RUNNING"));
    private static final String[] TYPES = {"COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "RUNNING", "SCHEDULED", "PENDING", "CANCELLED", "CRASHED"};

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void countsAndHistoriesMatchTheRuns(String database) throws Exception {
        Prefect prefect = quiet(new Prefect(Files.createTempDirectory("openprefect-rollup-")))
                .env("PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS", "0.5");
        try (TestDatabase testDatabase = TestDatabase.create(database, prefect);
             RunningServer server = RunningServer.start(prefect);
             Connection db = testDatabase.connect()) {
            if (testDatabase.isSqlite()) {
                Sql.exec(db, "PRAGMA busy_timeout = 10000");
            }
            Api api = new Api(server.api(""));
            String flow = api.post("/flows/", "{\"name\":\"rollup-flow\"}", 201).get("id").asText();
            Instant now = Instant.now();
            Random random = new Random(7);
            seed(db, testDatabase.isSqlite(), flow, now, random);
            List<String> apiRuns = runThroughTheApi(api, flow);
            reportShortTaskRun(server, api, apiRuns.get(2), flow);

            compareAll(api, flow, now, random, "with the changes not yet folded");
            awaitFolded(db);
            assertTrue(Long.parseLong(Sql.scalar(db, "SELECT count(*) FROM run_rollup")) > 100, "the rollup holds the runs' minutes");
            compareAll(api, flow, now, random, "folded");

            Sql.exec(db, "UPDATE task_run SET state_type = 'COMPLETED', state_name = 'Completed', end_time = start_time "
                    + "WHERE state_type = 'RUNNING' AND name LIKE '%-1'");
            Sql.exec(db, "UPDATE flow_run SET expected_start_time = start_time WHERE state_type = 'FAILED' AND name LIKE '%7'");
            api.post("/flow_runs/" + apiRuns.get(0) + "/set_state", "{\"state\":{\"type\":\"CANCELLED\",\"name\":\"Cancelled\"},\"force\":true}", 201);
            api.awaitState("/flow_runs/" + apiRuns.get(3), "CANCELLED", Duration.ofSeconds(15));
            api.awaitState("/task_runs/" + Sql.scalar(db, "SELECT id FROM task_run WHERE name = 'api-task-2'"), "CANCELLED", Duration.ofSeconds(15));
            assertEquals(204, api.delete("/flow_runs/" + apiRuns.get(1)).status());
            String someRun = Sql.scalar(db, "SELECT id FROM flow_run WHERE name = 'seeded-5'");
            assertEquals(204, api.delete("/flow_runs/" + someRun).status());
            compareAll(api, flow, now, random, "after changes");
            awaitFolded(db);
            compareAll(api, flow, now, random, "after changes, folded");

            // The answers above come from the rollup: a made-up row in it shows in the UI's count, not in the other.
            long minute = Math.floorDiv(now.minus(Duration.ofMinutes(30)).getEpochSecond(), 60);
            String body = "{\"flow_runs\":{\"state\":{\"type\":{\"any_\":[\"COMPLETED\"]}},\"start_time\":{\"after_\":\""
                    + now.minus(Duration.ofHours(1)) + "\",\"before_\":\"" + now + "\"}}}";
            long before = api.post("/flow_runs/count", body, 200).asLong();
            Sql.exec(db, "INSERT INTO run_rollup (kind, start_minute, expected_minute, state_type, state_name, runs, run_time, running, "
                    + "running_since, lateness, due, due_since) VALUES ('flow_run', " + minute + ", " + minute + ", 'COMPLETED', 'Completed', 1000, 0, 0, 0, 0, 0, 0)");
            assertEquals(before + 1000, api.post("/flow_runs/count", body, 200).asLong());
            assertEquals(before, api.post("/flow_runs/count", withFlow(body, flow), 200).asLong());
            Sql.exec(db, "INSERT INTO run_rollup (kind, start_minute, expected_minute, state_type, state_name, runs, run_time, running, "
                    + "running_since, lateness, due, due_since) VALUES ('task_run', " + minute + ", " + minute + ", 'COMPLETED', 'Made up', 7, 0, 0, 0, 0, 0, 0)");
            String history = "{\"history_start\":\"" + now.minus(Duration.ofHours(2)) + "\",\"history_end\":\"" + now + "\",\"history_interval_seconds\":4320,"
                    + "\"flow_runs\":{},\"task_runs\":{\"start_time\":{\"after_\":\"" + now.minus(Duration.ofHours(2)) + "\",\"before_\":\"" + now + "\"}}}";
            assertTrue(api.post("/task_runs/history", history, 200).toString().contains("\"state_name\":\"Made up\",\"count_runs\":7"));
            assertTrue(!api.post("/task_runs/history", withFlow(history, flow), 200).toString().contains("Made up"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anUpgradeCountsTheRunsAlreadyThereAndADowngradeDropsTheRollup(String database) throws Exception {
        Prefect prefect = quiet(new Prefect(Files.createTempDirectory("openprefect-rollup-upgrade-")));
        try (TestDatabase testDatabase = TestDatabase.create(database, prefect)) {
            assertEquals(0, prefect.run("server", "database", "upgrade", "-y", "-r", "r0008").exitCode());
            String flow = UUID.randomUUID().toString();
            Instant now = Instant.now();
            try (Connection db = testDatabase.connect()) {
                Sql.exec(db, "INSERT INTO flow (id, created, updated, name) VALUES ('" + flow + "', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'before-r0009')");
                seed(db, testDatabase.isSqlite(), flow, now, new Random(11));
            }
            var up = prefect.run("server", "database", "upgrade", "-y");
            assertEquals(0, up.exitCode(), up::toString);
            try (RunningServer server = RunningServer.start(prefect);
                 Connection db = testDatabase.connect()) {
                awaitFolded(db);
                assertEquals("1200", Sql.scalar(db, "SELECT sum(runs) FROM run_rollup WHERE kind = 'task_run'"), "every task run, once");
                compareAll(new Api(server.api("")), flow, now, new Random(12), "after the upgrade");
            }
            var down = prefect.run("server", "database", "downgrade", "-y", "-r", "r0008");
            assertEquals(0, down.exitCode(), down::toString);
            try (Connection db = testDatabase.connect()) {
                assertEquals("0", Sql.scalar(db, testDatabase.isSqlite() ? "SELECT count(*) FROM sqlite_master WHERE name LIKE 'run_rollup%'"
                        : "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'run_rollup%'"));
                Sql.exec(db, "UPDATE flow_run SET state_type = 'COMPLETED' WHERE state_type = 'RUNNING'");
            }
        }
    }

    /** The server without the late-runs service, which would rename a scheduled run between the two requests of a pair. */
    private static Prefect quiet(Prefect prefect) {
        return prefect.env("PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED", "false");
    }

    private static void compareAll(Api api, String flow, Instant now, Random random, String when) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant after = now.minus(Duration.ofSeconds(random.nextInt(4 * 3600))).minusNanos(random.nextInt(1_000_000) * 1000L);
            Instant before = i % 4 == 0 ? now.plusSeconds(3600) : after.plusSeconds(random.nextInt(3 * 3600)).plusNanos(random.nextInt(1_000_000) * 1000L);
            if (i % 3 == 0) {
                after = after.truncatedTo(ChronoUnit.MINUTES);
                before = before.truncatedTo(ChronoUnit.MINUTES);
            }
            for (List<String> states : STATE_FILTERS) {
                String state = states.isEmpty() ? "" : "\"state\":{\"type\":{\"any_\":" + Api.json(states) + "}},";
                String window = "{\"after_\":\"" + after + "\",\"before_\":\"" + before + "\"}";
                bodies.add("/flow_runs/count {\"flow_runs\":{" + state + "\"expected_start_time\":" + window + "},\"sort\":\"EXPECTED_START_TIME_DESC\"}");
                bodies.add("/task_runs/count {\"task_runs\":{" + state + "\"start_time\":" + window + ",\"subflow_runs\":{\"exists_\":false}}}");
                bodies.add("/task_runs/count {\"task_runs\":{" + state + "\"expected_start_time\":" + window + "}}");
            }
            bodies.add("/flow_runs/paginate {\"flow_runs\":{\"start_time\":{\"after_\":\"" + after + "\",\"before_\":\"" + before
                    + "\"}},\"sort\":\"START_TIME_DESC\",\"limit\":10,\"page\":1}");
            bodies.add("/task_runs/paginate {\"task_runs\":{\"expected_start_time\":{\"after_\":\"" + after + "\",\"before_\":\"" + before
                    + "\"}},\"sort\":\"EXPECTED_START_TIME_DESC\",\"limit\":10,\"page\":1}");
        }
        bodies.add("/task_runs/count {}");
        bodies.add("/flow_runs/count {}");
        bodies.add("/flow_runs/count {\"flow_runs\":{\"state\":{\"name\":{\"any_\":[\"Late\",\"Running\"]}}}}");
        for (String call : bodies) {
            String path = call.substring(0, call.indexOf(' '));
            String body = call.substring(call.indexOf(' ') + 1);
            JsonNode fast = api.post(path, body, 200);
            JsonNode slow = api.post(path, withFlow(body, flow), 200);
            JsonNode fastCount = path.endsWith("paginate") ? fast.get("count") : fast;
            JsonNode slowCount = path.endsWith("paginate") ? slow.get("count") : slow;
            assertEquals(slowCount.asLong(), fastCount.asLong(), when + ": " + call);
        }
        for (int i = 0; i < 8; i++) {
            Instant start = now.minus(Duration.ofSeconds(3 * 3600 + random.nextInt(3600))).minusMillis(random.nextInt(1000));
            Instant end = i % 2 == 0 ? now : now.plusSeconds(random.nextInt(1800));
            int interval = List.of(600, 4320, 900, 1800, 61, 3600, 300, 7200).get(i);
            String window = i == 3 ? "" : "\"task_runs\":{\"start_time\":{\"after_\":\"" + start + "\",\"before_\":\"" + end + "\"}},";
            String body = "{\"history_start\":\"" + start + "\",\"history_end\":\"" + end + "\",\"history_interval_seconds\":" + interval + ","
                    + window + "\"flow_runs\":{}}";
            for (String path : List.of("/task_runs/history", "/flow_runs/history")) {
                String forPath = path.startsWith("/flow") ? body.replace("\"task_runs\":{\"start_time\"", "\"flow_runs\":{\"start_time\"")
                        .replace(",\"flow_runs\":{}", "") : body;
                assertSameHistory(api.post(path, forPath, 200), api.post(path, withFlow(forPath, flow), 200), when + ": " + path + " " + forPath);
            }
        }
    }

    /** Counts equal; the estimates within what the second between the two requests changes of running and late runs. */
    private static void assertSameHistory(JsonNode fast, JsonNode slow, String what) {
        assertEquals(slow.size(), fast.size(), what);
        for (int i = 0; i < slow.size(); i++) {
            JsonNode a = fast.get(i);
            JsonNode b = slow.get(i);
            assertEquals(b.get("interval_start"), a.get("interval_start"), what);
            assertEquals(b.get("states").size(), a.get("states").size(), what + " interval " + i + ": " + a + " / " + b);
            for (int s = 0; s < b.get("states").size(); s++) {
                JsonNode x = a.get("states").get(s);
                JsonNode y = b.get("states").get(s);
                String where = what + " interval " + i + " " + y;
                assertEquals(y.get("state_type"), x.get("state_type"), where);
                assertEquals(y.get("state_name"), x.get("state_name"), where);
                assertEquals(y.get("count_runs").asLong(), x.get("count_runs").asLong(), where);
                double slack = 0.001 + 5.0 * y.get("count_runs").asLong();
                assertEquals(y.get("sum_estimated_run_time").asDouble(), x.get("sum_estimated_run_time").asDouble(), slack, where + " vs " + x);
                assertEquals(y.get("sum_estimated_lateness").asDouble(), x.get("sum_estimated_lateness").asDouble(), slack, where + " vs " + x);
            }
        }
    }

    /** The same body restricted to the one flow every run belongs to: the same runs, counted from the runs. */
    private static String withFlow(String body, String flow) {
        ObjectNode node = (ObjectNode) Api.JSON.valueToTree(parse(body));
        node.putObject("flows").putObject("id").putArray("any_").add(flow);
        return node.toString();
    }

    private static JsonNode parse(String body) {
        try {
            return Api.JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    private static void awaitFolded(Connection db) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!"0".equals(Sql.scalar(db, "SELECT count(*) FROM run_rollup_delta"))) {
            assertTrue(Instant.now().isBefore(deadline), "the server folds the run changes within a minute");
            Thread.sleep(200);
        }
    }

    /**
     * A task run reported as the engine does, over /api/events/in, finishing 0.4 ms after its start:
     * its run time's text as a Java double is 4.0E-4, which PostgreSQL's interval input refuses.
     */
    private static void reportShortTaskRun(RunningServer server, Api api, String flowRun, String flow) throws Exception {
        TaskRunEvents task = new TaskRunEvents(UUID.fromString(flowRun), UUID.fromString(flow), "short-task", "short", 0);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (EventsSocket socket = EventsSocket.open(server.base(), false)) {
            socket.send(task.state("PENDING", "Pending", at, 0, null));
            socket.send(task.state("RUNNING", "Running", at.plusMillis(1), 1, null));
            socket.send(task.state("COMPLETED", "Completed", at.plusMillis(1).plusNanos(400_000), 1, null));
        }
        JsonNode stored = api.awaitState("/task_runs/" + task.id(), "COMPLETED", Duration.ofSeconds(20));
        assertEquals(0.0004, stored.get("total_run_time").asDouble(), 1e-9, stored::toString);
    }

    /** Runs with their states as the client leaves them: a parent, its subflow, a few transitions. */
    private static List<String> runThroughTheApi(Api api, String flow) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String run = api.post("/flow_runs/", "{\"flow_id\":\"" + flow + "\",\"name\":\"api-" + i + "\",\"state\":{\"type\":\"PENDING\"}}", 201)
                    .get("id").asText();
            api.post("/flow_runs/" + run + "/set_state", "{\"state\":{\"type\":\"RUNNING\"}}", 201);
            String task = api.post("/task_runs/", "{\"flow_run_id\":\"" + run + "\",\"task_key\":\"t\",\"dynamic_key\":\"" + i
                    + "\",\"name\":\"api-task-" + i + "\",\"state\":{\"type\":\"RUNNING\"}}", 201).get("id").asText();
            if (i == 2) {
                String subflow = api.post("/flow_runs/", "{\"flow_id\":\"" + flow + "\",\"name\":\"api-sub\",\"parent_task_run_id\":\"" + task
                        + "\",\"state\":{\"type\":\"RUNNING\"}}", 201).get("id").asText();
                runs.add(subflow);
            } else {
                api.post("/task_runs/" + task + "/set_state", "{\"state\":{\"type\":\"COMPLETED\"}}", 201);
            }
            runs.add(0, run);
        }
        return runs;
    }

    /** 400 flow runs over the last three hours and the next, with 3 task runs each, at any microsecond. */
    private static void seed(Connection c, boolean sqlite, String flow, Instant now, Random random) throws Exception {
        String interval = sqlite ? "?" : "CAST(? AS interval)";
        try (PreparedStatement run = c.prepareStatement("INSERT INTO flow_run (id, created, updated, name, flow_id, tags, state_type, state_name, "
                + "state_timestamp, run_count, expected_start_time, start_time, end_time, total_run_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + interval + ")");
             PreparedStatement task = c.prepareStatement("INSERT INTO task_run (id, created, updated, name, flow_run_id, task_key, dynamic_key, "
                     + "state_type, state_name, state_timestamp, run_count, expected_start_time, start_time, end_time, total_run_time) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + interval + ")")) {
            for (int i = 0; i < 400; i++) {
                String type = TYPES[random.nextInt(TYPES.length)];
                boolean waiting = type.equals("SCHEDULED") || type.equals("PENDING");
                // Started runs started in the past: a RUNNING state timestamped ahead of the server's clock is the
                // one case the rollup estimates differently (docs/performance.md).
                Instant expected = now.minusSeconds(random.nextInt(3 * 3600)).plusSeconds(waiting ? random.nextInt(2 * 3600) : -600)
                        .minusNanos(random.nextInt(1_000_000) * 1000L);
                Instant start = waiting ? null : expected.plusSeconds(random.nextInt(240)).plusNanos(random.nextInt(1_000_000) * 1000L);
                boolean running = type.equals("RUNNING");
                double seconds = running || waiting ? 0 : random.nextInt(600) + random.nextDouble();
                Instant end = start == null || running ? null : start.plusMillis((long) (seconds * 1000));
                Instant stateAt = end != null ? end : start != null ? start : expected.minusSeconds(60);
                String id = UUID.randomUUID().toString();
                String name = type.equals("SCHEDULED") && expected.isBefore(now) ? "Late" : type.charAt(0) + type.substring(1).toLowerCase();
                Sql.bind(run, sqlite, id, stateAt, stateAt, "seeded-" + i, flow, "[]", i % 50 == 0 ? null : type, i % 50 == 0 ? null : name, stateAt,
                        start == null ? 0 : 1, i % 97 == 0 ? null : expected, start, end, sqlite ? seconds : String.format(Locale.ROOT, "%.6f seconds", seconds));
                run.addBatch();
                for (int t = 0; t < 3; t++) {
                    String taskType = waiting ? "PENDING" : running && t == 2 ? "RUNNING" : t == 1 && type.equals("FAILED") ? "FAILED" : "COMPLETED";
                    Instant taskExpected = t == 0 ? expected : stateAt.minusSeconds(random.nextInt(300));
                    Instant taskStart = start == null ? null : start.plusSeconds(random.nextInt(120)).plusNanos(random.nextInt(1_000_000) * 1000L);
                    Instant taskEnd = taskStart == null || taskType.equals("RUNNING") ? null : taskStart.plusMillis(random.nextInt(5000));
                    Instant taskAt = taskEnd != null ? taskEnd : taskStart != null ? taskStart : stateAt;
                    String taskName = taskType.charAt(0) + taskType.substring(1).toLowerCase();
                    double taskSeconds = taskEnd == null ? 0 : random.nextDouble() * 5;
                    Sql.bind(task, sqlite, UUID.randomUUID().toString(), taskAt, taskAt, "seeded-task-" + i + "-" + t, id, "t" + t, "0", taskType, taskName,
                            taskAt, taskStart == null ? 0 : 1, taskExpected, taskStart, taskEnd, sqlite ? taskSeconds : String.format(Locale.ROOT, "%.6f seconds", taskSeconds));
                    task.addBatch();
                }
            }
            run.executeBatch();
            task.executeBatch();
        }
    }
}
