package org.openprefect.appliance.http;

import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Query parameters read as FastAPI reads them, with its 422 for a value of the wrong type. */
public final class QueryParams {
    private static final Set<String> TRUE = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "off", "f", "false", "n", "no");

    private QueryParams() {
    }

    /** A boolean parameter as pydantic parses one ({@code true}, {@code 1}, {@code yes}, ...); {@code fallback} when absent. */
    public static boolean bool(ServerRequest req, String name, boolean fallback) {
        String raw = req.query().first(name).orElse(null);
        if (raw == null) {
            return fallback;
        }
        String text = raw.toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw new InvalidRequestException(new ValidationErrors().add("bool_parsing", List.of("query", name),
                "Input should be a valid boolean, unable to interpret input", raw), null);
    }

    /** A date-time parameter (ISO 8601), {@code fallback} when absent; 422 in pydantic's words when it is not one. */
    public static Instant instant(ServerRequest req, String name, Instant fallback) {
        String raw = req.query().first(name).orElse(null);
        if (raw == null) {
            return fallback;
        }
        try {
            return Times.parse(raw);
        } catch (RuntimeException e) {
            throw new InvalidRequestException(new ValidationErrors().add("datetime_from_date_parsing", List.of("query", name),
                    "Input should be a valid datetime or date, invalid character in year", raw), null);
        }
    }

    /** A text parameter, or null when absent. */
    public static String text(ServerRequest req, String name) {
        return req.query().first(name).orElse(null);
    }
}
