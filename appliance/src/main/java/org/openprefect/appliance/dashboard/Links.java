package org.openprefect.appliance.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Names that go into a link's path (work pool names may hold spaces or slashes). */
final class Links {
    private Links() {
    }

    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
