package org.openprefect.appliance.http;

import java.util.Map;

/**
 * An error answered with a status and upstream's body: {@code {"detail": ...}} for explicit checks,
 * {@code {"exception_message": ...}} for model-layer lookups.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> body;

    private ApiException(int status, Map<String, Object> body, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
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

    public static ApiException integrityConflict() {
        return detail(409, "Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.");
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
