package org.openprefect.cli.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small client for the server's API, sending the basic-auth header the upstream client sends. */
public final class ApiClient {
    private final String apiUrl;
    private final String authString;
    private final HttpClient http;
    private final Duration timeout;

    public ApiClient(String apiUrl, String authString, Duration timeout) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.authString = authString;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** GETs a path under the API URL; returns the body of a 2xx answer or throws with the reason. */
    public String get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(timeout).GET();
        if (authString != null && !authString.isEmpty()) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(authString.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid API URL " + apiUrl + ": " + e.getMessage(), e);
        }
    }

    public String apiUrl() {
        return apiUrl;
    }
}
