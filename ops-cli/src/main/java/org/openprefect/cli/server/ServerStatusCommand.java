package org.openprefect.cli.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openprefect.appliance.settings.Settings;
import org.openprefect.cli.common.ApiClient;
import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code prefect server status}: asks the server at PREFECT_API_URL whether it is up. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Check whether the Prefect server at PREFECT_API_URL is available.",
        footer = {"", "Exit codes: 0 available, 1 unavailable, timed out, or no PREFECT_API_URL."})
public final class ServerStatusCommand extends BaseCommand {
    @Option(names = "--wait", description = "Poll every second until the server is available.")
    boolean waitForServer;

    @Option(names = {"--timeout", "-t"}, defaultValue = "0", paramLabel = "SECONDS",
            description = "With --wait, give up after this many seconds (0 = wait forever). Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON: {status, api_url, server_version?, error?, timeout?}.")
    OutputFormat output;

    @Override
    protected int run() throws Exception {
        Settings settings = context().settings();
        String apiUrl = settings.text("api.url");
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new CliError("No Prefect API URL configured. Set PREFECT_API_URL, e.g. "
                    + "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`.");
        }
        ApiClient client = ApiClient.forApi(settings, apiUrl, Duration.ofSeconds(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (true) {
            try {
                client.get("/health");
                String version = new ObjectMapper().readTree(client.get("/admin/version")).asText();
                return report("available", apiUrl, version, null);
            } catch (IOException e) {
                if (!waitForServer) {
                    return report("unavailable", apiUrl, null, describe(e));
                }
                if (timeoutSeconds > 0 && System.nanoTime() >= deadline) {
                    return report("timed_out", apiUrl, null, describe(e));
                }
                Thread.sleep(1000);
            }
        }
    }

    private int report(String status, String apiUrl, String version, String error) {
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", status);
            json.put("api_url", apiUrl);
            if (version != null) {
                json.put("server_version", version);
            }
            if (error != null) {
                json.put("error", error);
            }
            if ("timed_out".equals(status)) {
                json.put("timeout", timeoutSeconds);
            }
            console().json(json);
        } else if ("available".equals(status)) {
            console().println("Server is available.");
            console().println("API URL: " + apiUrl);
            console().println("Server version: " + version);
        } else if ("timed_out".equals(status)) {
            console().println("Timed out after " + timeoutSeconds + " seconds waiting for the server at " + apiUrl + ".");
        } else {
            console().println("Server is not available at " + apiUrl + ". Error: " + error);
        }
        return "available".equals(status) ? 0 : 1;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
            if (e instanceof ConnectException) {
                message = "Connection refused";
            }
        }
        return message;
    }
}
