package org.openprefect.appliance.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes response bodies. Bodies of 1000 bytes or more are gzip-compressed when the client
 * accepts it, as upstream's GZip middleware does.
 */
public final class Responses {
    static final int GZIP_MINIMUM_SIZE = 1000;

    private Responses() {
    }

    public static void json(ServerRequest req, ServerResponse res, int status, Object body) {
        send(req, res, status, "application/json", Json.bytes(body));
    }

    public static void html(ServerRequest req, ServerResponse res, String page) {
        send(req, res, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    public static void noContent(ServerResponse res) {
        res.status(Status.NO_CONTENT_204).send();
    }

    /** {@code {"detail": message}}: upstream's body for explicit 404/409/422 errors. */
    public static void detail(ServerRequest req, ServerResponse res, int status, String message) {
        json(req, res, status, Map.of("detail", message));
    }

    public static void send(ServerRequest req, ServerResponse res, int status, String contentType, byte[] body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        if (body.length >= GZIP_MINIMUM_SIZE && acceptsGzip(req)) {
            res.header(HeaderValues.create(HeaderNames.CONTENT_ENCODING, "gzip"));
            res.header(HeaderNames.VARY, "Accept-Encoding");
            res.send(gzip(body));
        } else {
            res.send(body);
        }
    }

    private static boolean acceptsGzip(ServerRequest req) {
        return req.headers().first(HeaderNames.ACCEPT_ENCODING)
                .map(v -> v.toLowerCase().contains("gzip"))
                .orElse(false);
    }

    /** The gzip of a body, for answers that keep their compressed form (the UI's assets). */
    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
