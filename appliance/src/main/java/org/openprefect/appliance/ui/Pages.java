package org.openprefect.appliance.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.ServerVersion;

import java.util.Map;
import java.util.TreeMap;

/** Server-rendered HTML for the landing and docs pages; every interpolated value is escaped. */
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

    static String index(ServerVersion version, String databaseKind, String revision, String apiBase) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>OpenPrefect server</title>%s</head>
                <body>
                <h1>OpenPrefect server</h1>
                <p>A Prefect&nbsp;3 compatible orchestration server. Point the Prefect client at it with
                <code>prefect config set PREFECT_API_URL=&lt;this address&gt;%s</code>.</p>
                <table>
                  <tr><th>Prefect API version</th><td id="prefect-version">%s</td></tr>
                  <tr><th>API schema version</th><td id="api-version">%s</td></tr>
                  <tr><th>Build</th><td id="build-version">%s</td></tr>
                  <tr><th>Database</th><td id="database">%s</td></tr>
                  <tr><th>Schema revision</th><td id="schema-revision">%s</td></tr>
                </table>
                <p><a href="/docs">API reference</a> · <a href="%s/openapi.json">OpenAPI document</a> ·
                <a href="%s/health">health</a> · <a href="%s/ready">readiness</a></p>
                </body></html>
                """.formatted(STYLE, esc(apiBase), esc(version.prefectVersion()), esc(version.apiVersion()),
                esc(version.buildVersion()), esc(databaseKind), esc(revision), esc(apiBase), esc(apiBase), esc(apiBase));
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
