package org.openprefect.appliance.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import org.openprefect.appliance.common.InvalidInputException;
import org.openprefect.appliance.db.DataAccessException;
import org.openprefect.appliance.db.DatabaseUnavailableException;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps what handlers throw to upstream's status codes and bodies; never a stack trace on the wire. */
public final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    public static void register(HttpRouting.Builder r) {
        r.error(ApiException.class, (req, res, e) -> {
            e.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
            Responses.json(req, res, e.status(), e.body());
        });
        r.error(InvalidInputException.class, (req, res, e) -> Responses.detail(req, res, 422, e.getMessage()));
        r.error(InvalidRequestException.class, (req, res, e) -> e.errors().send(req, res, e.requestBody()));
        r.error(DatabaseUnavailableException.class, (req, res, e) -> {
            LOG.warning("Database unavailable: " + e.getMessage());
            Responses.json(req, res, 503, Map.of("exception_message", "Service Unavailable"));
        });
        r.error(DataAccessException.class, (req, res, e) -> {
            if (e.isIntegrityViolation()) {
                LOG.info("Integrity conflict on " + req.path().path() + ": " + e.getMessage());
                Responses.json(req, res, 409, ApiException.integrityConflict().body());
            } else {
                LOG.log(Level.SEVERE, "Database error on " + req.prologue().method().text() + " " + req.path().path(), e);
                Responses.json(req, res, 500, Map.of("exception_message", "Internal Server Error"));
            }
        });
    }
}
