package org.openprefect.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on loopback with a self-signed certificate made for the test by the JDK's
 * keytool: its names (subject alternative names) and validity are the test's choice. It answers
 * {@code /api/health} and {@code /api/admin/version} as the Prefect server does.
 */
public final class TlsTestServer implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private final HttpsServer server;
    private final Path certificatePem;

    /**
     * @param san subject alternative names in keytool's form, e.g. {@code dns:localhost,ip:127.0.0.1}
     * @param startDate keytool's -startdate, e.g. {@code -10d} for a certificate that started ten days ago, or null for now
     * @param validityDays how long it is valid from its start
     */
    public TlsTestServer(Path dir, String san, String startDate, int validityDays) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("server.p12");
        certificatePem = dir.resolve("server.pem");
        List<String> generate = new ArrayList<>(List.of(keytool(), "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=openprefect-test", "-ext", "SAN=" + san, "-validity", Integer.toString(validityDays)));
        if (startDate != null) {
            generate.addAll(List.of("-startdate", startDate));
        }
        run(generate);
        run(List.of(keytool(), "-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD),
                "-alias", "server", "-file", certificatePem.toString()));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/api/health", exchange -> answer(exchange, "true"));
        server.createContext("/api/admin/version", exchange -> answer(exchange, "\"3.8.4\""));
        server.start();
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's certificate in PEM form: a bundle that trusts this server and nothing else. */
    public Path certificatePem() {
        return certificatePem;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
