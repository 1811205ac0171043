package org.openprefect.appliance.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions this build reports: the Prefect version it is compatible with (the client compares
 * the major of {@code /admin/version} with its own), the API schema version and our build version.
 */
public record ServerVersion(String prefectVersion, String apiVersion, String buildVersion) {

    public static ServerVersion current() {
        Properties p = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServerVersion(p.getProperty("prefect.version", "3.8.4"),
                p.getProperty("api.version", "0.8.4"), p.getProperty("build.version", "dev"));
    }
}
