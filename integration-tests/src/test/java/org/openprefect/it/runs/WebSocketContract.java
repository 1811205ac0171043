package org.openprefect.it.runs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.EventsSocket;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.openprefect.it.runs.ClientTraceContract.awaitState;
import static org.openprefect.it.runs.ClientTraceContract.awaitTaskRuns;

/**
 * The websockets as the real client drives them (traces/): a ping right after connecting whose
 * pong it waits for before sending anything, checkpoint pings between events, the server's own
 * pings, and a close handshake; on the JDK's client, on a bare socket, and on Python's websockets.
 */
abstract class WebSocketContract {
    abstract RunningServer server() throws Exception;

    Api api() throws Exception {
        return new Api(server().api(""));
    }

    private record Run(UUID flowId, UUID runId) {
    }

    private Run newRun() throws Exception {
        UUID flowId = UUID.fromString(api().post("/flows/", "{\"name\":\"ws-" + UUID.randomUUID() + "\"}", 201).get("id").asText());
        UUID runId = UUID.fromString(api().post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\",\"state\":{\"type\":\"RUNNING\"}}", 201)
                .get("id").asText());
        return new Run(flowId, runId);
    }

    @Test
    void eventsInAnswersTheFirstPingAndTheCheckpointPingsFrameByFrame() throws Exception {
        Run run = newRun();
        TaskRunEvents task = new TaskRunEvents(run.runId(), run.flowId(), "raw-task", "raw_task-1", 0);
        Instant t = Instant.now().minusSeconds(5);
        // The upgrade as websockets 15 sends it for the 3.4 engine: no subprotocol, compression offered.
        try (RawWebSocket ws = new RawWebSocket(server().base().replace("http://", "ws://") + "/api/events/in",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", "User-Agent: Python/3.13 websockets/15.0.1")) {
            assertEquals(101, ws.status());
            assertNull(ws.header("sec-websocket-protocol"));
            assertNull(ws.header("sec-websocket-extensions"), "no compression is negotiated, so the client sends plain frames");
            byte[] first = {0x31, 0x2a, 0x30, 0x2d};
            ws.sendPing(first);
            RawWebSocket.Frame pong = ws.read();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertArrayEquals(first, pong.payload(), "the pong carries the ping's payload");
            ws.sendText(task.state("PENDING", "Pending", t, 0, null));
            ws.sendText(task.state("RUNNING", "Running", t.plusMillis(10), 1, null));
            byte[] checkpoint = {1, 2, 3, 4};
            ws.sendPing(checkpoint);
            assertArrayEquals(checkpoint, ws.readUntil(RawWebSocket.PONG).payload());
            ws.sendText(task.state("COMPLETED", "Completed", t.plusMillis(20), 1, null));
            ws.sendPing(new byte[0]);
            assertArrayEquals(new byte[0], ws.readUntil(RawWebSocket.PONG).payload(), "an empty ping gets an empty pong");
            ws.sendClose(1000);
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertNotNull(close, "the server answers the close frame");
            assertEquals(1000, close.closeCode());
            assertNull(ws.read(), "then it closes the TCP connection");
        }
        assertEquals("COMPLETED", awaitState(api(), task.id(), "COMPLETED").get("state_type").asText());
        assertEquals(3, api().get("/task_run_states/?task_run_id=" + task.id(), 200).size());
    }

    /**
     * RFC 6455 lets a client split a message into frames; the server takes a message that came in
     * one frame as it is and puts a split one together, and the two must not mix.
     */
    @Test
    void anEventSplitAcrossFramesIsStoredWholeBetweenEventsInOneFrame() throws Exception {
        Run run = newRun();
        TaskRunEvents task = new TaskRunEvents(run.runId(), run.flowId(), "split-task", "split_task-1", 0);
        Instant t = Instant.now().minusSeconds(5);
        try (RawWebSocket ws = new RawWebSocket(server().base().replace("http://", "ws://") + "/api/events/in")) {
            assertEquals(101, ws.status());
            ws.sendText(task.state("PENDING", "Pending", t, 0, null));
            byte[] running = task.state("RUNNING", "Running", t.plusMillis(10), 1, null).getBytes(StandardCharsets.UTF_8);
            int third = running.length / 3;
            ws.sendFrame(RawWebSocket.TEXT, Arrays.copyOfRange(running, 0, third), false);
            ws.sendFrame(RawWebSocket.CONTINUATION, Arrays.copyOfRange(running, third, 2 * third), false);
            ws.sendFrame(RawWebSocket.CONTINUATION, Arrays.copyOfRange(running, 2 * third, running.length), true);
            ws.sendText(task.state("COMPLETED", "Completed", t.plusMillis(20), 1, null));
            ws.sendClose(1000);
            assertEquals(1000, ws.readUntil(RawWebSocket.CLOSE).closeCode());
        }
        assertEquals("COMPLETED", awaitState(api(), task.id(), "COMPLETED").get("state_type").asText());
        List<String> names = new ArrayList<>();
        api().get("/task_run_states/?task_run_id=" + task.id(), 200).forEach(st -> names.add(st.get("name").asText()));
        assertEquals(List.of("Pending", "Running", "Completed"), names, "the split event is one state, between the others");
    }

    @Test
    void aMappedFlowsBurstIsStoredWholeAndInOrderEvenWhenTheClientClosesRightAfterIt() throws Exception {
        Run run = newRun();
        Instant t = Instant.now().minusSeconds(60);
        List<TaskRunEvents> tasks = new ArrayList<>();
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            for (int i = 0; i < 300; i++) {
                TaskRunEvents task = new TaskRunEvents(run.runId(), run.flowId(), "mapped-" + i, "mapped-1", 0);
                tasks.add(task);
                Instant at = t.plusMillis(i * 10L);
                socket.send(task.state("PENDING", "Pending", at, 0, null));
                socket.send(task.state("RUNNING", "Running", at.plusMillis(1), 1, null));
                socket.send(task.state("COMPLETED", "Completed", at.plusMillis(2), 1, null));
            }
            assertEquals(1000, socket.closeHandshake(10).code(), "closed at once, with the events still being stored");
        }
        String completed = "{\"flow_runs\":{\"id\":{\"any_\":[\"" + run.runId() + "\"]}},\"task_runs\":{\"state\":{\"type\":{\"any_\":[\"COMPLETED\"]}}}}";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (api().post("/task_runs/count", completed, 200).asInt() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(300, api().post("/task_runs/count", completed, 200).asInt(), "every task run of the burst is recorded");
        for (TaskRunEvents task : List.of(tasks.get(0), tasks.get(150), tasks.get(299))) {
            List<String> names = new ArrayList<>();
            api().get("/task_run_states/?task_run_id=" + task.id(), 200).forEach(st -> names.add(st.get("name").asText()));
            assertEquals(List.of("Pending", "Running", "Completed"), names, "once each, in order");
        }
    }

    @Test
    void jdkClientPingsBeforeAndBetweenEventsThenClosesWithAHandshake() throws Exception {
        Run run = newRun();
        TaskRunEvents task = new TaskRunEvents(run.runId(), run.flowId(), "jdk-task", "jdk_task-1", 0);
        Instant t = Instant.now().minusSeconds(5);
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            byte[] payload = "live".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(payload, socket.ping(payload, 5));
            socket.send(task.state("PENDING", "Pending", t, 0, null));
            socket.send(task.state("RUNNING", "Running", t.plusMillis(10), 1, null));
            assertArrayEquals(new byte[] {9, 9, 9, 9}, socket.ping(new byte[] {9, 9, 9, 9}, 5));
            socket.send(task.state("COMPLETED", "Completed", t.plusMillis(20), 1, null));
            assertEquals(1000, socket.closeHandshake(10).code());
        }
        awaitState(api(), task.id(), "COMPLETED");
    }

    @Test
    void eventsOutAnswersPingsBeforeAuthThenStreamsMatchingEvents() throws Exception {
        Run run = newRun();
        try (EventsSocket socket = EventsSocket.openOut(server().base())) {
            assertEquals("prefect", socket.subprotocol());
            assertArrayEquals(new byte[] {7, 7, 7, 7}, socket.ping(new byte[] {7, 7, 7, 7}, 5), "the runner pings before it authenticates");
            socket.send("{\"type\":\"auth\",\"token\":null}");
            assertEquals("{\"type\":\"auth_success\"}", socket.awaitMessages(1, 10).get(0));
            socket.send("{\"type\":\"filter\",\"filter\":{\"resource\":{\"id\":[\"prefect.flow-run." + run.runId() + "\"]},"
                    + "\"event\":{\"name\":[\"prefect.flow-run.Cancelling\"]}},\"backfill\":false}");
            assertArrayEquals(new byte[] {8}, socket.ping(new byte[] {8}, 5));
            api().post("/flow_runs/" + run.runId() + "/set_state", "{\"state\":{\"type\":\"CANCELLING\"}}", 201);
            JsonNode event = Api.JSON.readTree(socket.awaitMessages(2, 10).get(1));
            assertEquals("prefect.flow-run.Cancelling", event.at("/event/event").asText());
            assertEquals(1000, socket.closeHandshake(10).code());
        }
    }

    @Test
    void eventsOutWantsTheAuthMessageFirst() throws Exception {
        try (EventsSocket socket = EventsSocket.openOut(server().base())) {
            socket.send("{\"type\":\"filter\",\"filter\":{}}");
            EventsSocket.Closed closed = socket.awaitClosed(10);
            assertEquals(1008, closed.code());
            assertEquals("Expected 'auth' message", closed.reason());
        }
    }

    @Test
    void pythonWebsocketsClientRecordsMappedCachedAndRetriedTaskRuns() throws Exception {
        PythonClient python = PythonClient.withWebsocketsAndHttpx();
        Run run = newRun();
        Instant t = Instant.now().minusSeconds(30);
        List<String> events = new ArrayList<>();
        List<TaskRunEvents> mapped = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mapped.add(new TaskRunEvents(run.runId(), run.flowId(), "square-" + i, "square-5c1d", 0));
        }
        // Mapped and async tasks run side by side: their events interleave.
        for (int i = 0; i < 3; i++) {
            events.add(mapped.get(i).state("PENDING", "Pending", t.plusMillis(i), 0, null));
        }
        for (int i = 0; i < 3; i++) {
            events.add(mapped.get(i).state("RUNNING", "Running", t.plusMillis(10 + i), 1, null));
        }
        for (int i = 2; i >= 0; i--) {
            events.add(mapped.get(i).state("COMPLETED", "Completed", t.plusMillis(30 - i), 1, null));
        }
        TaskRunEvents cached = new TaskRunEvents(run.runId(), run.flowId(), "expensive-1", "expensive-77a", 0);
        events.add(cached.state("PENDING", "Pending", t.plusMillis(40), 0, null));
        events.add(cached.state("COMPLETED", "Cached", t.plusMillis(41), 0, null));
        TaskRunEvents retried = new TaskRunEvents(run.runId(), run.flowId(), "flaky-1", "flaky-9e0", 1);
        events.add(retried.state("PENDING", "Pending", t.plusMillis(50), 0, null));
        events.add(retried.state("RUNNING", "Running", t.plusMillis(51), 1, null));
        events.add(retried.state("SCHEDULED", "AwaitingRetry", t.plusMillis(52), 1, t.plusMillis(60)));
        events.add(retried.state("RUNNING", "Retrying", t.plusMillis(61), 2, null));
        events.add(retried.state("COMPLETED", "Completed", t.plusMillis(62), 2, null));
        Path file = Files.createTempFile("events-", ".jsonl");
        Files.write(file, events);

        JsonNode report = python.runScript("prefect_events_client.py", server().api(""), file.toString(), run.runId().toString());
        assertEquals(events.size(), report.get("sent").asInt());
        assertEquals(events.size(), report.get("streamed").asInt(), "the subscriber on /events/out saw every event: " + report);
        assertEquals(1000, report.get("events_in_close_code").asInt());
        assertEquals("gzip", report.get("task_runs_content_encoding").asText(), "httpx asked for gzip and the list is over 1000 bytes");

        awaitTaskRuns(api(), run.runId(), 5);
        for (TaskRunEvents m : mapped) {
            assertEquals(3, api().get("/task_run_states/?task_run_id=" + m.id(), 200).size());
            awaitState(api(), m.id(), "COMPLETED");
        }
        assertEquals("Cached", awaitState(api(), cached.id(), "COMPLETED").get("state_name").asText());
        JsonNode flaky = awaitState(api(), retried.id(), "COMPLETED");
        assertEquals(2, flaky.get("run_count").asInt());
        assertEquals(5, api().get("/task_run_states/?task_run_id=" + retried.id(), 200).size());
        assertEquals(5, report.get("task_runs_seen").asInt(), "httpx read the five task runs back: " + report);
    }

    @Test
    void eventsTheRealClientSentAreRecordedAsUpstreamRecordsThem() throws Exception {
        // Every /events/in message the Prefect 3.4.25 engine, worker and runner sent in traces/ (concurrency,
        // worker, serve, blocks), byte for byte but for the flow-run ids, which become runs of this server.
        List<String> lines = new ArrayList<>();
        try (var in = WebSocketContract.class.getResourceAsStream("/traces/events-in.jsonl")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(lines::add);
        }
        Map<String, String> runIds = new LinkedHashMap<>();
        Map<String, List<JsonNode>> byTaskRun = new LinkedHashMap<>();
        for (String line : lines) {
            JsonNode event = Api.JSON.readTree(line);
            for (JsonNode related : event.path("related")) {
                String id = related.path("prefect.resource.id").asText();
                if (id.startsWith("prefect.flow-run.") && !runIds.containsKey(id.substring(17))) {
                    runIds.put(id.substring(17), newRun().runId().toString());
                }
            }
            String resource = event.at("/resource/prefect.resource.id").asText();
            if (resource.startsWith("prefect.task-run.")) {
                byTaskRun.computeIfAbsent(resource.substring(17), k -> new ArrayList<>()).add(event);
            }
        }
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            assertArrayEquals(new byte[] {1, 2}, socket.ping(new byte[] {1, 2}, 5));
            for (String line : lines) {
                for (var id : runIds.entrySet()) {
                    line = line.replace(id.getKey(), id.getValue());
                }
                socket.send(line);
            }
            assertArrayEquals(new byte[] {3, 4}, socket.ping(new byte[] {3, 4}, 5), "the stream is still open after every event");
            assertEquals(1000, socket.closeHandshake(10).code());
        }
        assertEquals(19, byTaskRun.size());
        for (var entry : byTaskRun.entrySet()) {
            List<JsonNode> sent = entry.getValue();
            String lastType = sent.getLast().at("/payload/validated_state/type").asText();
            JsonNode run = awaitState(api(), UUID.fromString(entry.getKey()), lastType);
            assertEquals(sent.getLast().at("/payload/task_run/task_key").asText(), run.get("task_key").asText());
            assertEquals(runIds.get(sent.getLast().at("/related").findValues("prefect.resource.id").stream().map(JsonNode::asText)
                    .filter(i -> i.startsWith("prefect.flow-run.")).findFirst().orElseThrow().substring(17)), run.get("flow_run_id").asText());
            List<String> names = new ArrayList<>();
            api().get("/task_run_states/?task_run_id=" + entry.getKey(), 200).forEach(st -> names.add(st.get("name").asText()));
            List<String> expected = new ArrayList<>();
            sent.forEach(e -> expected.add(e.at("/payload/validated_state/name").asText()));
            assertEquals(expected, names, "every state the client reported, in order, for task run " + entry.getKey());
        }
    }

    @Test
    void anEventOfARunThisServerDoesNotHoldIsStoredAndTheStreamGoesOn() throws Exception {
        Run run = newRun();
        TaskRunEvents orphan = new TaskRunEvents(UUID.randomUUID(), run.flowId(), "orphan", "orphan-1", 0);
        TaskRunEvents task = new TaskRunEvents(run.runId(), run.flowId(), "after-orphan", "after-1", 0);
        Instant t = Instant.now().minusSeconds(5);
        String orphanEvent = orphan.state("PENDING", "Pending", t, 0, null);
        try (EventsSocket socket = EventsSocket.open(server().base(), false)) {
            socket.send(orphanEvent);
            socket.send(task.state("PENDING", "Pending", t.plusMillis(1), 0, null));
            assertArrayEquals(new byte[] {6}, socket.ping(new byte[] {6}, 5), "not closed: resending would fail the same way forever");
        }
        awaitState(api(), task.id(), "PENDING");
        assertEquals(404, api().get("/task_runs/" + orphan.id()).status());
        String eventId = Api.JSON.readTree(orphanEvent).get("id").asText();
        JsonNode stored = api().post("/events/filter", "{\"filter\":{\"id\":{\"id\":[\"" + eventId + "\"]}}}", 200);
        assertEquals(1, stored.get("total").asInt(), "the event itself is kept: " + stored);
    }
}
