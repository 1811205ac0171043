package org.openprefect.cli.server;

/** The welcome text of {@code prefect server start}, laid out as upstream's. */
final class Banner {
    private static final String ART = """

             ___ ___ ___ ___ ___ ___ _____
            | _ \\ _ \\ __| __| __/ __|_   _|
            |  _/   / _|| _|| _| (__  | |
            |_| |_|_\\___|_| |___\\___| |_|
            """;

    private Banner() {
    }

    static String text(String baseUrl, String apiPath, boolean uiEnabled) {
        StringBuilder b = new StringBuilder(ART);
        b.append("\nConfigure Prefect to communicate with the server with:\n\n")
                .append("    prefect config set PREFECT_API_URL=").append(baseUrl).append(apiPath).append("\n\n")
                .append("View the API reference documentation at ").append(baseUrl).append("/docs\n");
        if (uiEnabled) {
            b.append("\nCheck out the dashboard at ").append(baseUrl).append('\n');
        } else {
            b.append("\nThe dashboard is disabled. Set `PREFECT_UI_ENABLED=1` to re-enable it.\n");
        }
        return b.toString();
    }
}
