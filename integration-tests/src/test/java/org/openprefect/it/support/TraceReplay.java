package org.openprefect.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replays the HTTP requests of a recorded trace (a {@code traces/*.jsonl} trimmed to its http
 * records) against our server in the recorded order, every client's requests interleaved as they
 * were, and reports where our answers differ from upstream's: the status, the fields of an object
 * answered, the number of items of a list answered, and a state proposal's {@code status}. Ids the
 * recording holds are mapped to ours as answers reveal them (walking the recorded and our answer
 * side by side), and names are made unique per replay, so one server can replay a trace twice.
 */
public final class TraceReplay {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final DateTimeFormatter PYTHON_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00:00'")
            .withZone(ZoneOffset.UTC);

    private static final List<String> BROWSER_HEADERS = List.of("origin", "x-prefect-ui", "access-control-request-method",
            "access-control-request-headers");
    private static final List<String> CORS_HEADERS = List.of("access-control-allow-origin", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-max-age");

    private final String apiBase;
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final List<String> differences = new ArrayList<>();
    private UnaryOperator<ObjectNode> bodyRewrite = UnaryOperator.identity();
    private boolean browserHeaders;

    /** @param apiBase our API's base URL, standing in for the recording's {@code /api} */
    public TraceReplay(String apiBase) {
        this.apiBase = apiBase;
    }

    /** Every occurrence of {@code recorded} in paths and bodies becomes {@code ours}. */
    public TraceReplay rename(String recorded, String ours) {
        renamed.put(recorded, ours);
        return this;
    }

    /** A change to request bodies before they are sent (for a recorded time that must be now). */
    public TraceReplay rewriteBodies(UnaryOperator<ObjectNode> rewrite) {
        this.bodyRewrite = rewrite;
        return this;
    }

    /**
     * Sends the browser's headers as recorded ({@code Origin}, {@code X-Prefect-Ui}, a preflight's
     * {@code Access-Control-Request-*}), preflights included, and compares the CORS headers of the
     * answers with upstream's.
     */
    public TraceReplay withBrowserHeaders() {
        this.browserHeaders = true;
        return this;
    }

    /** {@code at} as the Python client writes times in request bodies. */
    public static String pythonTime(Instant at) {
        return PYTHON_UTC.format(at);
    }

    /** Replays every record of the resource, returning the differences found (empty when none). */
    public List<String> replay(String resource) {
        try (InputStream in = TraceReplay.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no trace " + resource);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                exchange(Api.JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return differences;
    }

    /** The ids learnt, recorded to ours. */
    public Map<String, String> ids() {
        return ids;
    }

    private void exchange(JsonNode record) throws IOException {
        String method = record.get("method").asText();
        String path = substitute(record.get("path").asText().replaceFirst("^/api", ""));
        StringBuilder url = new StringBuilder(apiBase).append(path);
        if (record.get("query").isObject()) {
            char sep = '?';
            for (Map.Entry<String, JsonNode> q : record.get("query").properties()) {
                url.append(sep).append(q.getKey()).append('=').append(URLEncoder.encode(substitute(q.getValue().asText()), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        JsonNode recordedBody = record.get("req_body");
        String body = null;
        if (recordedBody != null && !recordedBody.isNull()) {
            JsonNode sent = Api.JSON.readTree(substitute(recordedBody.toString()));
            body = (sent.isObject() ? bodyRewrite.apply((ObjectNode) sent) : sent).toString();
        }
        List<String> headers = new ArrayList<>();
        if (body != null) {
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        if (browserHeaders) {
            for (String name : BROWSER_HEADERS) {
                JsonNode value = record.path("req_headers").get(name);
                if (value != null && value.isTextual()) {
                    headers.addAll(List.of(name, value.asText()));
                }
            }
        } else if ("OPTIONS".equals(method)) {
            return;
        }
        HttpResponse<String> response = Http.method(method, url.toString(), body, headers.toArray(String[]::new));
        String where = "#" + record.get("seq").asInt() + " " + record.get("proc").asText() + ": " + method + " " + path;
        if (browserHeaders) {
            for (String name : CORS_HEADERS) {
                JsonNode theirs = record.path("resp_headers").get(name);
                String ours = response.headers().firstValue(name).orElse(null);
                if (theirs != null && !theirs.asText().equals(ours)) {
                    differences.add(where + " answered " + name + ": " + ours + ", upstream " + theirs.asText());
                }
            }
        }
        int expected = record.get("status").asInt();
        if (response.statusCode() != expected) {
            differences.add(where + " answered " + response.statusCode() + ", upstream " + expected + ": " + abbreviated(response.body()));
            return;
        }
        JsonNode recorded = record.get("resp_body");
        if (recorded == null || recorded.isNull() || response.body() == null || response.body().isBlank()) {
            return;
        }
        if (!response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            if (recorded.isTextual() && !recorded.asText().equals(response.body())) {
                differences.add(where + " answered " + abbreviated(response.body()) + ", upstream " + recorded.asText());
            }
            return;
        }
        JsonNode ours = Api.JSON.readTree(response.body());
        learn(recorded, ours);
        compare(where, recorded, ours);
    }

    private void compare(String where, JsonNode recorded, JsonNode ours) {
        if (recorded.isObject() && ours.isObject()) {
            // Objects keyed by ids (the UI's counts per run or flow) are keyed by our ids.
            Set<String> theirs = new TreeSet<>();
            fieldNames(recorded).forEach(name -> theirs.add(ids.getOrDefault(name, name)));
            Set<String> mine = fieldNames(ours);
            if (!theirs.equals(mine)) {
                differences.add(where + " answered fields " + mine + ", upstream " + theirs);
            }
            if (recorded.has("status") && recorded.get("status").isTextual() && recorded.has("state") && recorded.has("details")
                    && !recorded.get("status").equals(ours.get("status"))) {
                differences.add(where + " answered status " + ours.get("status") + ", upstream " + recorded.get("status"));
            }
        } else if (recorded.isArray() && ours.isArray() && where.contains("get_scheduled_flow_runs") && recorded.size() != ours.size()) {
            differences.add(where + " answered " + ours.size() + " runs, upstream " + recorded.size());
        }
    }

    /** Maps ids of the recorded answer to ours where both answers have the same shape. */
    private void learn(JsonNode recorded, JsonNode ours) {
        if (recorded.isTextual() && ours.isTextual()) {
            String theirs = recorded.asText();
            if (UUID_TEXT.matcher(theirs).matches() && UUID_TEXT.matcher(ours.asText()).matches() && !ids.containsKey(theirs)) {
                ids.put(theirs, ours.asText());
            }
        } else if (recorded.isObject() && ours.isObject()) {
            for (Map.Entry<String, JsonNode> field : recorded.properties()) {
                if (ours.has(field.getKey())) {
                    learn(field.getValue(), ours.get(field.getKey()));
                }
            }
        } else if (recorded.isArray() && ours.isArray() && recorded.size() == ours.size()) {
            for (int i = 0; i < recorded.size(); i++) {
                learn(recorded.get(i), ours.get(i));
            }
        }
    }

    private String substitute(String text) {
        String out = text;
        for (Map.Entry<String, String> name : renamed.entrySet()) {
            out = out.replace(name.getKey(), name.getValue());
        }
        for (Map.Entry<String, String> id : ids.entrySet()) {
            out = out.replace(id.getKey(), id.getValue());
        }
        return out;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
