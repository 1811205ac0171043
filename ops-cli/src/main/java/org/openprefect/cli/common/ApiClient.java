package org.openprefect.cli.common;

import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.net.ClientTls;
import org.openprefect.cli.net.ProxyEnvironment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A small client for the server's API that behaves like the upstream client: the basic-auth header
 * from the auth string, the proxy variables ({@link ProxyEnvironment}) and the certificate settings
 * ({@link ClientTls}).
 */
public final class ApiClient {
    /** An answer of any status. */
    public record Response(int status, String body) {
    }

    private final String apiUrl;
    private final String authString;
    private final HttpClient http;
    private final Duration timeout;
    private final ProxyEnvironment proxies;

    /** A client for a server on this machine (a child it started): no proxy, default trust. */
    public ApiClient(String apiUrl, String authString, Duration timeout) {
        this(apiUrl, authString, timeout, new ProxyEnvironment(Map.of()), new ClientTls(null, null, false));
    }

    public ApiClient(String apiUrl, String authString, Duration timeout, ProxyEnvironment proxies, ClientTls tls) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.authString = authString;
        this.timeout = timeout;
        this.proxies = proxies;
        boolean https = this.apiUrl.startsWith("https:");
        if (https && tls.insecure()) {
            // Read once, when java.net.http loads: before the first builder. The user asked for no verification at all.
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        }
        // No Authenticator: with one, java.net.http turns a server's bare 401 into an exception.
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).proxy(proxies.selector());
        if (https) {
            try {
                builder.sslContext(tls.sslContext());
            } catch (IOException | GeneralSecurityException e) {
                throw new CliError("Cannot use the certificate bundle " + tls.bundle() + " (" + tls.source() + "): " + e.getMessage());
            }
        }
        this.http = builder.build();
    }

    /** The client the CLI's commands use to reach the configured API. */
    public static ApiClient forApi(Settings settings, String apiUrl, Duration timeout) {
        // Proxy variables are read as the process has them: their case matters (see ProxyEnvironment).
        Map<String, String> env = System.getenv();
        return new ApiClient(apiUrl, settings.text("api.auth_string"), timeout, new ProxyEnvironment(env), ClientTls.from(settings, env));
    }

    /** GETs a path under the API URL; returns the body of a 2xx answer or throws with the reason. */
    public String get(String path) throws IOException {
        Response response = send(path);
        if (response.status() / 100 != 2) {
            throw new IOException("HTTP " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    /** GETs a path under the API URL and returns whatever the server answered. */
    public Response send(String path) throws IOException {
        URI target;
        HttpRequest.Builder request;
        try {
            target = URI.create(apiUrl + path);
            request = HttpRequest.newBuilder(target).timeout(timeout).GET();
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid API URL " + apiUrl + ": " + e.getMessage(), e);
        }
        try {
            proxies.route(target).proxyAuthorization().ifPresent(value -> request.header("Proxy-Authorization", value));
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid proxy setting: " + e.getMessage(), e);
        }
        if (authString != null && !authString.isEmpty()) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(authString.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public String apiUrl() {
        return apiUrl;
    }
}
