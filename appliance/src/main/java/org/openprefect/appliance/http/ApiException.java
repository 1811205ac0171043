package org.openprefect.appliance.http;

import java.util.Map;

/**
 * An error answered with a status and upstream's body: {@code {"detail": ...}} for explicit checks,
 * {@code {"exception_message": ...}} for model-layer lookups.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> body;
    private final Map<String, String> headers;

    private ApiException(int status, Map<String, Object> body, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    private ApiException(int status, Map<String, Object> body, String message) {
        this(status, body, message, Map.of());
    }

    public static ApiException detail(int status, String detail) {
        return new ApiException(status, Map.of("detail", detail), detail);
    }

    /** {@code value}, or a 404 {@code {"detail": detail}} when it is null: the read-or-404 of every lookup. */
    public static <T> T found(T value, String detail) {
        if (value == null) {
            throw notFound(detail);
        }
        return value;
    }

    public static ApiException notFound(String detail) {
        return detail(404, detail);
    }

    public static ApiException exceptionMessage(int status, String message) {
        return new ApiException(status, Map.of("exception_message", message), message);
    }

    /** 423 with {@code Retry-After} in seconds, as upstream answers a slot request it cannot grant yet. */
    public static ApiException locked(String detail, double retryAfterSeconds) {
        return new ApiException(423, Map.of("detail", detail), detail, Map.of("Retry-After", Double.toString(retryAfterSeconds)));
    }

    public static ApiException integrityConflict() {
        return detail(409, "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.");
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
