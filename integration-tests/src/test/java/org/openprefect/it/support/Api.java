package org.openprefect.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON calls against one server's API, returning status and parsed body. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String base;

    public Api(String apiBase) {
        this.base = apiBase;
    }

    public record Reply(int status, JsonNode body, String raw) {
    }

    public Reply get(String path) {
        return reply(Http.get(base + path));
    }

    public Reply post(String path, String json) {
        return reply(Http.method("POST", base + path, json, "Content-Type", "application/json"));
    }

    /** POST with extra headers, name then value. */
    public Reply postWithHeaders(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return reply(Http.method("POST", base + path, json, all));
    }

    public Reply patch(String path, String json) {
        return reply(Http.method("PATCH", base + path, json, "Content-Type", "application/json"));
    }

    public Reply delete(String path) {
        return reply(Http.method("DELETE", base + path, null));
    }

    /** POST that must answer {@code status}; returns the body. */
    public JsonNode post(String path, String json, int status) {
        Reply r = post(path, json);
        if (r.status() != status) {
            throw new AssertionError("POST " + path + " answered " + r.status() + ", expected " + status + ": " + r.raw());
        }
        return r.body();
    }

    public JsonNode get(String path, int status) {
        Reply r = get(path);
        if (r.status() != status) {
            throw new AssertionError("GET " + path + " answered " + r.status() + ", expected " + status + ": " + r.raw());
        }
        return r.body();
    }

    /**
     * Asks for a run ({@code /flow_runs/<id>}, {@code /task_runs/<id>}) every 100 ms until it answers
     * 200 in a state of {@code type}, and returns it. A run not there yet is waited for too: task
     * runs reported as events are stored off the request.
     */
    public JsonNode awaitState(String path, String type, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Reply r = get(path);
        while (!(r.status() == 200 && type.equals(r.body().path("state_type").asText()))) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(path + " never reached " + type + ": " + r.status() + " " + r.raw());
            }
            Thread.sleep(100);
            r = get(path);
        }
        return r.body();
    }

    private static Reply reply(HttpResponse<String> response) {
        try {
            String raw = response.body();
            return new Reply(response.statusCode(), raw == null || raw.isBlank() ? null : JSON.readTree(raw), raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
