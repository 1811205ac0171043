package org.openprefect.appliance.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.http.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The dashboard's stylesheet and scripts, read from the jar once and served under a path that
 * names their content's hash ({@code static/<hash>/<file>}), so browsers keep them for a year and
 * an upgrade's new files are new URLs. htmx comes from its WebJar: nothing is fetched from another origin.
 */
final class Assets {
    static final String HTMX = "htmx.min.js";
    static final String CSS = "dashboard.css";
    static final String JS = "dashboard.js";
    static final String ICON = "favicon.svg";
    private static final String HTMX_RESOURCE = "/META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js";

    private record Asset(String hash, String contentType, byte[] body) {
    }

    private final Map<String, Asset> byName = new LinkedHashMap<>();
    private final String base;

    Assets(String base) {
        this.base = base;
        add(HTMX, HTMX_RESOURCE, "text/javascript; charset=utf-8");
        add(CSS, "/dashboard/static/" + CSS, "text/css; charset=utf-8");
        add(JS, "/dashboard/static/" + JS, "text/javascript; charset=utf-8");
        add(ICON, "/dashboard/static/" + ICON, "image/svg+xml");
    }

    /** The URL a page links the file by. */
    String url(String name) {
        return base + "/static/" + byName.get(name).hash() + "/" + name;
    }

    /** {@code static/<hash>/<file>}: the file when the hash is current, else 404 (an old page's stale link). */
    void serve(ServerRequest req, ServerResponse res) {
        String hash = req.path().pathParameters().get("hash");
        Asset asset = byName.get(req.path().pathParameters().get("file"));
        if (asset == null || !asset.hash().equals(hash)) {
            Responses.detail(req, res, 404, "Not Found");
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        Responses.send(req, res, 200, asset.contentType(), asset.body());
    }

    private void add(String name, String resource, String contentType) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            byte[] body = Objects.requireNonNull(in, resource + " missing from the classpath").readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            byName.put(name, new Asset(HexFormat.of().formatHex(digest, 0, 8), contentType, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
