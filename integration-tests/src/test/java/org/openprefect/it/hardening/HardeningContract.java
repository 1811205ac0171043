package org.openprefect.it.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.RawWebSocket;
import org.openprefect.it.support.RunningServer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the hardening review (issue 18) broke with, on a server with default settings: bodies beyond
 * the parser's limits, bodies that are not JSON, integers beyond the columns, and an unauthenticated
 * websocket message without end. Each answers upstream's 422 (or closes the socket) and stores
 * nothing. One subclass per database.
 */
abstract class HardeningContract {
    abstract RunningServer server() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    private int flowCount() throws Exception {
        return api().post("/flows/count", "{}", 200).asInt();
    }

    private static void assertJsonInvalid(Api.Reply reply) {
        assertEquals(422, reply.status(), reply.raw() == null ? "" : reply.raw().substring(0, Math.min(300, reply.raw().length())));
        assertEquals("json_invalid", reply.body().at("/exception_detail/0/type").asText());
        assertEquals("Invalid request received.", reply.body().get("exception_message").asText());
    }

    @Test
    void bodiesBeyondTheParsersLimitsAre422() throws Exception {
        int before = flowCount();
        String tooDeep = "[".repeat(1001) + "]".repeat(1001);
        assertJsonInvalid(api().post("/flows/filter", tooDeep));
        assertJsonInvalid(api().post("/flows/", "{\"name\":\"deep\",\"tags\":" + "[".repeat(700) + "]".repeat(700) + "}"));
        assertJsonInvalid(api().post("/flows/", "{\"name\":\"" + "a".repeat(21_000_000) + "\"}"));
        assertJsonInvalid(api().post("/flows/", "{\"name\":1" + "0".repeat(2000) + "}"));

        // Deep but within the limit: the 422 echoes the body and must still be written as JSON.
        String deepButParsed = "{\"flows\":" + "[".repeat(490) + "]".repeat(490) + "}";
        Api.Reply echoed = api().post("/flows/filter", deepButParsed);
        assertEquals(422, echoed.status());
        assertTrue(echoed.body().get("request_body").has("flows"), echoed.raw().substring(0, 200));
        assertEquals(before, flowCount(), "nothing stored");
    }

    @Test
    void onlyJsonContentTypesAreReadAsJson() throws Exception {
        String name = "ct-" + UUID.randomUUID();
        api().post("/flows/", "{\"name\":\"" + name + "-kept\"}", 201);
        int before = flowCount();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "nonsense"}) {
            HttpResponse<String> bulkDelete = Http.method("POST", server().api("/flows/bulk_delete"), "{}", "Content-Type", type);
            assertEquals(422, bulkDelete.statusCode(), type + ": " + bulkDelete.body());
            JsonNode body = Api.JSON.readTree(bulkDelete.body());
            assertEquals("model_attributes_type", body.at("/exception_detail/0/type").asText());
            assertEquals("{}", body.at("/exception_detail/0/input").asText());
            assertEquals(422, Http.method("POST", server().api("/flows/"), "{\"name\":\"" + name + "\"}", "Content-Type", type).statusCode());
        }
        assertEquals(before, flowCount(), "a simple cross-origin POST deletes and creates nothing");
        assertEquals(404, api().get("/flows/name/" + name).status());
        // JSON under its other spellings is still JSON, as FastAPI reads it.
        for (String type : new String[] {"application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json"}) {
            HttpResponse<String> created = Http.method("POST", server().api("/flows/"), "{\"name\":\"" + name + "\"}", "Content-Type", type);
            assertTrue(created.statusCode() == 201 || created.statusCode() == 200, type + ": " + created.body());
        }
        HttpResponse<String> noType = Http.method("POST", server().api("/flows/filter"), "{\"limit\":1}");
        assertEquals(200, noType.statusCode(), "a body without Content-Type is JSON, as FastAPI reads it");
    }

    @Test
    void integersBeyondTheirColumnsAre422() throws Exception {
        String flowId = api().post("/flows/", "{\"name\":\"ints-" + UUID.randomUUID() + "\"}", 201).get("id").asText();
        String runId = api().post("/flow_runs/", "{\"flow_id\":\"" + flowId + "\"}", 201).get("id").asText();
        String log = "[{\"name\":\"n\",\"level\":1180591620717411303424,\"message\":\"m\",\"timestamp\":\"" + Instant.now()
                + "\",\"flow_run_id\":\"" + runId + "\"}]";
        Api.Reply refused = api().post("/logs/", log);
        assertEquals(422, refused.status(), refused.raw());
        assertEquals("less_than_equal", refused.body().at("/exception_detail/0/type").asText());
        assertEquals("[\"body\",0,\"level\"]", refused.body().at("/exception_detail/0/loc").toString());
        assertEquals("Input should be less than or equal to 2147483647", refused.body().at("/exception_detail/0/msg").asText());
        assertEquals(0, api().post("/logs/filter", "{\"logs\":{\"flow_run_id\":{\"any_\":[\"" + runId + "\"]}}}", 200).size(),
                "the log was not stored as 0 or anything else");

        Api.Reply negative = api().post("/v2/concurrency_limits/", "{\"name\":\"big-" + UUID.randomUUID() + "\",\"limit\":2147483648}");
        assertEquals(422, negative.status(), negative.raw());
        // A variable's value is any JSON: a big integer there is data, not a column.
        String variable = "v" + UUID.randomUUID().toString().replace("-", "_");
        Api.Reply stored = api().post("/variables/", "{\"name\":\"" + variable + "\",\"value\":1180591620717411303424}");
        assertEquals(201, stored.status(), stored.raw());
        // SQLite's JSON column (numeric affinity, as upstream's) keeps it as a double: 1.1805916207174113E21.
        assertEquals(1.180591620717411303424e21, api().get("/variables/name/" + variable, 200).get("value").asDouble(), 1e9);
    }

    @Test
    void anUnfinishedWebsocketMessageBeforeAuthIsRefusedWith1009() throws Exception {
        String url = server().base().replace("http://", "ws://") + "/api/events/out";
        try (RawWebSocket socket = new RawWebSocket(url, "Sec-WebSocket-Protocol: prefect")) {
            assertEquals(101, socket.status());
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            socket.sendFrame(RawWebSocket.TEXT, "{\"type\":\"auth\",\"token\":\"".getBytes(StandardCharsets.UTF_8), false);
            try {
                for (int i = 0; i < 64; i++) { // 1 MiB in all, 16 times the limit before auth
                    socket.sendFrame(RawWebSocket.CONTINUATION, chunk, false);
                }
            } catch (IOException closedWhileSending) {
                // The server may drop the socket after its close frame while we are still sending.
            }
            RawWebSocket.Frame close = socket.readUntil(RawWebSocket.CLOSE);
            assertNotNull(close, "a close frame before the connection ends");
            assertEquals(1009, close.closeCode());
        }
    }
}
