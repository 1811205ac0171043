package org.openprefect.appliance.http;

import io.helidon.webserver.http.ServerRequest;
import org.openprefect.appliance.common.Ids;

import java.util.UUID;

/** Path ids are UUID-typed routes upstream: anything else does not match, so the answer is a plain 404. */
public final class PathIds {
    private PathIds() {
    }

    public static UUID uuid(ServerRequest req, String name) {
        return ApiException.found(Ids.parseOrNull(req.path().pathParameters().get(name)), "Not Found");
    }
}
