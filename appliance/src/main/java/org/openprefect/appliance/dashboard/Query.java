package org.openprefect.appliance.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A page's query parameters, read leniently (a page never fails on a bad parameter: it ignores it) and written back into links. */
record Query(Map<String, List<String>> values) {
    static Query of(Map<String, List<String>> values) {
        return new Query(values);
    }

    String text(String name, String fallback) {
        List<String> v = values.getOrDefault(name, List.of());
        return v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0).strip();
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
    }

    int positive(String name, int fallback) {
        try {
            return Math.max(1, Integer.parseInt(text(name, String.valueOf(fallback))));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** This query with one parameter replaced, as a {@code ?a=b&...} string. */
    String with(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        copy.put(name, List.of(value));
        return encode(copy);
    }

    static String encode(Map<String, List<String>> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, vs) -> vs.forEach(v -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }
}
