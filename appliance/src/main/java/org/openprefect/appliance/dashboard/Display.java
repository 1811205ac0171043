package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values read on the dashboard: times in UTC to the second, durations in two units, a CSS class per state. */
final class Display {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String NONE = "—";

    private Display() {
    }

    /** An ISO time from a wire-shaped document, or a dash when it is missing. */
    static String time(JsonNode iso) {
        if (iso == null || iso.isNull() || iso.isMissingNode() || iso.asText().isEmpty()) {
            return NONE;
        }
        return time(Times.parse(iso.asText()));
    }

    static String time(Instant t) {
        return t == null ? NONE : TIME.format(t) + " UTC";
    }

    static String duration(double seconds) {
        if (seconds < 1) {
            return Math.round(seconds * 1000) + " ms";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }
        return (s / 86_400) + "d " + String.format(Locale.ROOT, "%02dh", (s % 86_400) / 3600);
    }

    /** {@code state-completed} and so on; unknown or missing states share one neutral class. */
    static String stateClass(String stateType) {
        return stateType == null || stateType.isEmpty() ? "state-none" : "state-" + stateType.toLowerCase(Locale.ROOT);
    }

    /** {@code pool-ready} and so on: the CSS class of a work pool's, queue's, worker's or deployment's status. */
    static String statusClass(String status) {
        return "pool-" + status.toLowerCase(Locale.ROOT);
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "" : node.asText();
    }

    /** The texts of a JSON array of strings (tags), empty when it is missing. */
    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Pretty-printed JSON, for parameters, job variables and unknown artifact data. */
    static String json(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
