package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Run history as an SVG of stacked bars, one per interval, drawn on the server: no chart library,
 * nothing to download. Each bar's title lists its counts for screen readers and hover.
 */
final class StateChart {
    private static final Map<String, String> COLORS = new LinkedHashMap<>();

    static {
        COLORS.put("COMPLETED", "#10b981");
        COLORS.put("RUNNING", "#3b82f6");
        COLORS.put("PENDING", "#f59e0b");
        COLORS.put("SCHEDULED", "#fbbf24");
        COLORS.put("PAUSED", "#8b5cf6");
        COLORS.put("CANCELLING", "#9ca3af");
        COLORS.put("CANCELLED", "#6b7280");
        COLORS.put("FAILED", "#ef4444");
        COLORS.put("CRASHED", "#f97316");
    }

    private StateChart() {
    }

    /** The SVG of a {@code /flow_runs/history} answer; every text in it is escaped. */
    static String svg(JsonNode buckets, String label) {
        int n = Math.max(1, buckets.size());
        int max = 1;
        for (JsonNode b : buckets) {
            int total = 0;
            for (JsonNode s : b.path("states")) {
                total += s.path("count_runs").asInt();
            }
            max = Math.max(max, total);
        }
        double width = 1000.0 / n;
        StringBuilder svg = new StringBuilder("<svg viewBox=\"0 0 1000 100\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                .append(esc(label)).append("\">");
        int i = 0;
        for (JsonNode b : buckets) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            COLORS.keySet().forEach(t -> counts.put(t, 0));
            for (JsonNode s : b.path("states")) {
                counts.merge(s.path("state_type").asText(), s.path("count_runs").asInt(), Integer::sum);
            }
            double y = 100;
            StringBuilder title = new StringBuilder(Display.time(b.path("interval_start")));
            svg.append("<g>");
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                if (c.getValue() == 0) {
                    continue;
                }
                double h = 100.0 * c.getValue() / max;
                y -= h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                        i * width + width * 0.1, y, width * 0.8, h, COLORS.getOrDefault(c.getKey(), "#9ca3af")));
                title.append(", ").append(c.getValue()).append(' ').append(c.getKey().toLowerCase(Locale.ROOT));
            }
            svg.append("<title>").append(esc(title.toString())).append("</title></g>");
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
