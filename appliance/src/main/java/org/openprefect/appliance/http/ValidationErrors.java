package org.openprefect.appliance.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's 422 body for request validation failures:
 * {@code {"exception_message":"Invalid request received.","exception_detail":[...],"request_body":...}}.
 */
public final class ValidationErrors {
    private final List<Map<String, Object>> errors = new ArrayList<>();

    public ValidationErrors add(String type, List<Object> loc, String msg, Object input) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("loc", loc);
        e.put("msg", msg);
        e.put("input", input);
        errors.add(e);
        return this;
    }

    /** pydantic's {@code ge}/{@code le} error when the integer {@code value} lies outside [min, max]; nothing otherwise. */
    public ValidationErrors outOfRange(List<Object> loc, JsonNode value, long min, long max) {
        BigInteger given = value.bigIntegerValue();
        if (given.compareTo(BigInteger.valueOf(max)) > 0) {
            add("less_than_equal", loc, "Input should be less than or equal to " + max, value);
        } else if (given.compareTo(BigInteger.valueOf(min)) < 0) {
            add("greater_than_equal", loc, "Input should be greater than or equal to " + min, value);
        }
        return this;
    }

    public ValidationErrors missing(List<Object> loc) {
        return add("missing", loc, "Field required", null);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<Map<String, Object>> entries() {
        return errors;
    }

    public void send(ServerRequest req, ServerResponse res, JsonNode requestBody) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("exception_message", "Invalid request received.");
        body.put("exception_detail", errors);
        body.put("request_body", requestBody);
        Responses.json(req, res, 422, body);
    }
}
