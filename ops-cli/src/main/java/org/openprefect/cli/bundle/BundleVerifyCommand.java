package org.openprefect.cli.bundle;

import org.openprefect.cli.common.BaseCommand;
import org.openprefect.cli.common.CliError;
import org.openprefect.cli.common.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prefect bundle verify FILE}: checksums, image manifests and layer digests, offline, before any {@code docker load}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check an offline bundle (the .tar, or the folder it unpacks to) without Docker or a network: "
                + "every file against SHA256SUMS, and in each image tarball the manifest, config and layer digests.",
        footer = {"", "Exit codes: 0 the bundle is intact, 1 it is not (each bad file is named), 2 invalid usage.",
                "JSON output: {\"status\": \"ok\"|\"fail\", \"bundle\": PATH, \"files\": [{path, status, detail}]}."})
public final class BundleVerifyCommand extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "The bundle: openprefect-VERSION.tar, or its unpacked folder.")
    Path bundle;

    @Option(names = {"--output", "-o"}, converter = OutputFormat.Converter.class, paramLabel = "json",
            description = "Print JSON for scripts.")
    OutputFormat output;

    @Override
    protected int run() throws Exception {
        if (!Files.exists(bundle)) {
            throw new CliError("No such file or folder: " + bundle);
        }
        List<BundleVerifier.FileResult> results = new BundleVerifier(message -> {
            if (output != OutputFormat.JSON) {
                console().warn(message);
            }
        }).verify(bundle);
        boolean ok = results.stream().allMatch(BundleVerifier.FileResult::ok);
        if (output == OutputFormat.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("status", ok ? "ok" : "fail");
            json.put("bundle", bundle.toString());
            List<Map<String, String>> files = new ArrayList<>();
            for (BundleVerifier.FileResult r : results) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("path", r.path());
                row.put("status", r.ok() ? "ok" : "fail");
                row.put("detail", r.detail());
                files.add(row);
            }
            json.put("files", files);
            console().json(json);
        } else {
            for (BundleVerifier.FileResult r : results) {
                console().println(String.format("  %-4s %s: %s", r.ok() ? "ok" : "FAIL", r.path(), r.detail()));
            }
            console().println(ok ? "Bundle verified: every file matches SHA256SUMS and every image is intact. Safe to docker load."
                    : "Bundle REJECTED: do not load it; copy it again from the source (see the files marked FAIL).");
        }
        return ok ? 0 : 1;
    }
}
