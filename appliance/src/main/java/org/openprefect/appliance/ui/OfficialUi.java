package org.openprefect.appliance.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.http.Responses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The official Prefect UI, when the operator points {@code PREFECT_SERVER_UI_STATIC_DIRECTORY} at
 * a build of it (the {@code prefect/server/ui} folder of a {@code prefect} wheel), served as
 * upstream serves it: under {@code PREFECT_SERVER_UI_SERVE_BASE}, the build's
 * {@code /PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER} replaced by that base (in memory; the folder
 * stays untouched, so a read-only one works), unknown paths answered with {@code index.html} (the
 * single-page app routes them), and {@code /ui-settings} telling the app where the API is.
 * Hashed assets are cached by browsers for a year; the rest revalidate by ETag.
 */
public final class OfficialUi implements HttpService {
    static final String PLACEHOLDER = "/PREFECT_UI_SERVE_BASE_REPLACE_PLACEHOLDER";
    private static final long MAX_CACHED_BYTES = 8L * 1024 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("webmanifest", "application/manifest+json"));

    /** A file as answered: its bytes after the placeholder replacement, their gzip and their ETag. */
    private record Asset(byte[] body, byte[] gzipped, String etag, String contentType) {
    }

    private final Path root;
    private final String base;
    private final String apiBasePath;
    private final Function<ServerRequest, ObjectNode> uiSettings;
    private final Map<Path, Asset> cache = new ConcurrentHashMap<>();

    /**
     * @param serveBase  {@code PREFECT_SERVER_UI_SERVE_BASE} ("/" by default)
     * @param uiSettings the {@code /ui-settings} body for a request (its {@code api_url} may depend on the request's host)
     */
    public OfficialUi(Path staticDirectory, String serveBase, String apiBasePath, Function<ServerRequest, ObjectNode> uiSettings) {
        this.root = staticDirectory.toAbsolutePath().normalize();
        this.base = serveBase.endsWith("/") ? serveBase.substring(0, serveBase.length() - 1) : serveBase;
        this.apiBasePath = apiBasePath;
        this.uiSettings = uiSettings;
    }

    /** Whether the folder looks like a UI build (it has an {@code index.html}). */
    public static boolean isBuild(Path staticDirectory) {
        return Files.isRegularFile(staticDirectory.resolve("index.html"));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(base + "/ui-settings", (req, res) -> Responses.json(req, res, 200, uiSettings.apply(req)));
        rules.get(base.isEmpty() ? "/" : base, this::serve);
        rules.get(base + "/*", this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        if (path.equals(apiBasePath) || path.startsWith(apiBasePath + "/")) {
            res.next();
            return;
        }
        String relative = path.length() > base.length() ? path.substring(base.length()) : "/";
        Path file = root.resolve(relative.substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            file = root.resolve("index.html");
        }
        Asset asset = asset(file);
        boolean immutable = relative.startsWith("/assets/") && !file.getFileName().toString().equals("index.html");
        res.header(HeaderNames.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        res.header(HeaderNames.ETAG, asset.etag());
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(asset.etag()::equals).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        boolean gzip = asset.gzipped() != null && req.headers().first(HeaderNames.ACCEPT_ENCODING)
                .map(v -> v.toLowerCase(Locale.ROOT).contains("gzip")).orElse(false);
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.send(asset.gzipped());
        } else {
            res.send(asset.body());
        }
    }

    private Asset asset(Path file) {
        Asset cached = cache.get(file);
        if (cached != null) {
            return cached;
        }
        Asset loaded = load(file);
        if (loaded.body().length <= MAX_CACHED_BYTES) {
            cache.put(file, loaded);
        }
        return loaded;
    }

    private Asset load(Path file) {
        try {
            byte[] body = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
            String type = TYPES.getOrDefault(extension, "application/octet-stream");
            if (type.startsWith("text/") || type.startsWith("application/json")) {
                String text = new String(body, StandardCharsets.UTF_8);
                if (text.contains(PLACEHOLDER)) {
                    body = text.replace(PLACEHOLDER, base).getBytes(StandardCharsets.UTF_8);
                }
            }
            boolean compressible = type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg");
            return new Asset(body, compressible && body.length >= 1000 ? Responses.gzip(body) : null, etag(body), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * upstream's {@code /ui-settings}: {@code api_url} as configured ({@code PREFECT_UI_API_URL}, else
     * {@code PREFECT_API_URL}), or, when neither is set, this request's own scheme and host with
     * the API's path, so a browser on another machine reaches the API it loaded the UI from
     * (upstream answers {@code http://127.0.0.1:4200/api} there).
     */
    public static ObjectNode settingsBody(ServerRequest req, Optional<String> configuredApiUrl, String apiBasePath, boolean csrfEnabled,
                                          boolean basicAuth) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("api_url", configuredApiUrl.orElseGet(() -> {
            String scheme = req.headers().first(HeaderNames.create("X-Forwarded-Proto")).orElse(req.isSecure() ? "https" : "http");
            String host = req.headers().first(HeaderNames.create("X-Forwarded-Host"))
                    .orElse(req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host() + ":" + req.localPeer().port()));
            return scheme + "://" + host + apiBasePath;
        }));
        body.put("csrf_enabled", csrfEnabled);
        body.putNull("auth");
        if (basicAuth) {
            body.put("auth", "BASIC");
        }
        body.putArray("flags");
        return body;
    }
}
