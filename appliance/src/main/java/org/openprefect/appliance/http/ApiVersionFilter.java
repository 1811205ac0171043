package org.openprefect.appliance.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Map;
import java.util.Optional;

/**
 * {@code X-PREFECT-API-VERSION}: absent means the latest; present, it must read {@code x.y.z} of
 * integers and be at least 0.8.0, else 400 with upstream's detail.
 */
public final class ApiVersionFilter implements Filter {
    private static final HeaderName HEADER = HeaderNames.create("X-PREFECT-API-VERSION");
    private static final int[] MINIMUM = {0, 8, 0};

    private final String apiPrefix;

    public ApiVersionFilter(String apiBasePath) {
        this.apiPrefix = apiBasePath;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> given = req.headers().first(HEADER).filter(v -> !v.isEmpty());
        String path = req.path().path();
        if (given.isEmpty() || !(path.equals(apiPrefix) || path.startsWith(apiPrefix + "/"))) {
            chain.proceed();
            return;
        }
        String version = given.get();
        int[] parsed = parse(version);
        if (parsed == null) {
            Responses.json(req, res, 400, Map.of("detail", "Invalid X-PREFECT-API-VERSION header format."
                    + "Expected header in format 'x.y.z' but received " + version));
            return;
        }
        if (compare(parsed, MINIMUM) < 0) {
            Responses.json(req, res, 400, Map.of("detail", "The request specified API version " + version
                    + " but this server requires version 0.8.0 or higher."));
            return;
        }
        chain.proceed();
    }

    static int[] parse(String version) {
        String[] parts = version.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        int[] v = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                v[i] = Integer.parseInt(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
