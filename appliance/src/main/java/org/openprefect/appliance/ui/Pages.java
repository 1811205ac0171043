package org.openprefect.appliance.ui;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/** Server-rendered HTML for the API reference page; every interpolated value is escaped. */
final class Pages {
    private static final String STYLE = """
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1f2937; }
              h1 { font-size: 1.6rem; } table { border-collapse: collapse; }
              td, th { padding: .3rem .8rem; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
              code { background: #f3f4f6; padding: 0 .25rem; } .m { font-weight: 600; width: 5rem; }
            </style>""";

    private Pages() {
    }

    static String docs(JsonNode openApi, String apiBase) {
        StringBuilder rows = new StringBuilder();
        Map<String, JsonNode> paths = new TreeMap<>();
        openApi.path("paths").properties().forEach(e -> paths.put(e.getKey(), e.getValue()));
        paths.forEach((path, operations) -> operations.properties().forEach(op -> rows
                .append("<tr><td class=\"m\">").append(esc(op.getKey().toUpperCase()))
                .append("</td><td><code>").append(esc(apiBase + path)).append("</code></td><td>")
                .append(esc(op.getValue().path("summary").asText(""))).append("</td></tr>\n")));
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>OpenPrefect API reference</title>%s</head>
                <body>
                <h1>API reference</h1>
                <p>Upstream Prefect's REST API, which this server implements. The machine-readable document is
                <a href="%s/openapi.json">openapi.json</a>.</p>
                <table>
                %s</table>
                </body></html>
                """.formatted(STYLE, esc(apiBase), rows);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
