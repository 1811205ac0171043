package org.openprefect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.ForwardProxy;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TlsTestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doctor's network and certificates sections, and the CLI's own client, against real peers: the
 * real server, a forward proxy, and TLS servers with certificates made for the test.
 */
class DoctorNetworkTest {
    private static final JsonSchema OUTPUT_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(readSchema());
    static Path shared;
    static RunningServer server;

    @TempDir
    Path temp;
    Prefect prefect;

    @BeforeAll
    static void startServer() throws Exception {
        shared = Files.createTempDirectory("doctor-network");
        server = RunningServer.start(new Prefect(shared).env("PREFECT_SERVER_API_AUTH_STRING", "admin:s3cret"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void setUp() {
        prefect = new Prefect(temp);
    }

    private static String readSchema() {
        try {
            return Files.readString(Path.of("../docs/doctor-output.schema.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the doctor with JSON output, checking that output against the published schema. */
    private CliResult doctor(Map<String, String> env, String sections) throws Exception {
        CliResult result = prefect.run(env, "doctor", "--section", sections, "-o", "json");
        Set<ValidationMessage> errors = OUTPUT_SCHEMA.validate(Api.JSON.readTree(result.stdout()));
        assertTrue(errors.isEmpty(), () -> "output does not follow docs/doctor-output.schema.json: " + errors + "\n" + result);
        return result;
    }

    private static JsonNode finding(CliResult result, String check) throws Exception {
        for (JsonNode f : Api.JSON.readTree(result.stdout()).get("findings")) {
            if (f.get("check").asText().equals(check)) {
                return f;
            }
        }
        throw new AssertionError("no " + check + " in " + result);
    }

    private static String status(CliResult result, String check) throws Exception {
        return finding(result, check).get("status").asText();
    }

    private String apiUrl(String host) {
        return server.api("").replace("127.0.0.1", host);
    }

    @Test
    void healthAndAuthRoundTripDirectly() throws Exception {
        CliResult good = doctor(Map.of("PREFECT_API_URL", apiUrl("127.0.0.1"), "PREFECT_API_AUTH_STRING", "admin:s3cret"), "network");
        assertEquals(0, good.exitCode(), good::toString);
        assertEquals("ok", status(good, "health"));
        assertEquals("ok", status(good, "auth"));
        assertTrue(finding(good, "proxy").get("message").asText().contains("directly"), good::toString);

        CliResult wrong = doctor(Map.of("PREFECT_API_URL", apiUrl("127.0.0.1"), "PREFECT_API_AUTH_STRING", "admin:nope"), "network");
        assertEquals(1, wrong.exitCode(), wrong::toString);
        assertEquals("fail", status(wrong, "auth"));
        assertTrue(finding(wrong, "auth").get("message").asText().contains("rejected"), wrong::toString);

        CliResult missing = doctor(Map.of("PREFECT_API_URL", apiUrl("127.0.0.1")), "network");
        assertEquals("fail", status(missing, "auth"));
        assertTrue(finding(missing, "auth").get("fix").asText().contains("PREFECT_API_AUTH_STRING"), missing::toString);
    }

    @Test
    void requestsGoThroughTheProxyUnlessNoProxyExemptsTheHost() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy()) {
            Map<String, String> env = new HashMap<>(Map.of("PREFECT_API_URL", apiUrl("localhost"), "PREFECT_API_AUTH_STRING", "admin:s3cret",
                    "HTTP_PROXY", proxy.url()));
            CliResult proxied = doctor(env, "network");
            assertEquals(0, proxied.exitCode(), proxied::toString);
            assertTrue(finding(proxied, "health").get("message").asText().contains("through " + proxy.url()), proxied::toString);
            assertTrue(proxy.requests().stream().anyMatch(r -> r.startsWith("GET http://localhost:") && r.contains("/api/health")),
                    "the proxy carried the request: " + proxy.requests());

            // curl's rules: a leading dot is ignored, and a name matches itself.
            env.put("NO_PROXY", "example.com, .localhost");
            int before = proxy.requests().size();
            CliResult bypassed = doctor(env, "network");
            assertEquals(0, bypassed.exitCode(), bypassed::toString);
            assertTrue(finding(bypassed, "proxy").get("message").asText().contains("NO_PROXY entry '.localhost'"), bypassed::toString);
            assertEquals(before, proxy.requests().size(), "nothing went through the proxy: " + proxy.requests());

            // A suffix must end at a dot: "calhost" does not exempt "localhost".
            env.put("NO_PROXY", "calhost,localhost:" + server.base().replaceAll(".*:", ""));
            CliResult notExempt = doctor(env, "network");
            assertTrue(finding(notExempt, "proxy").get("message").asText().contains("through"), notExempt::toString);
            assertEquals("warn", status(notExempt, "no-proxy"), "an entry with a port never matches in curl");

            // The CLI's own client takes the same route.
            env.remove("NO_PROXY");
            int beforeStatus = proxy.requests().size();
            CliResult serverStatus = prefect.run(env, "server", "status");
            assertEquals(0, serverStatus.exitCode(), serverStatus::toString);
            assertTrue(proxy.requests().size() > beforeStatus, "prefect server status used the proxy");
        }
    }

    @Test
    void websocketRouteDiffersWhenOnlyTheLowercaseVariableIsSet() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy()) {
            CliResult result = doctor(Map.of("PREFECT_API_URL", apiUrl("localhost"), "PREFECT_API_AUTH_STRING", "admin:s3cret",
                    "http_proxy", proxy.url()), "network");
            assertEquals("warn", status(result, "websocket-proxy"), result::toString);
            assertEquals("ok", status(result, "health"));
        }
    }

    @Test
    void malformedProxyVariableIsAnErrorNotACrash() throws Exception {
        Map<String, String> env = Map.of("PREFECT_API_URL", apiUrl("localhost"), "HTTP_PROXY", "http://");
        CliResult doctor = doctor(env, "network");
        assertEquals(1, doctor.exitCode(), doctor::toString);
        assertEquals("fail", status(doctor, "proxy"));
        CliResult status = prefect.run(env, "server", "status");
        assertEquals(1, status.exitCode(), status::toString);
        assertTrue(status.stdout().contains("proxy"), status::toString);
        assertTrue(!status.stderr().contains("Exception"), "no stack trace: " + status);
    }

    @Test
    void deadProxyFailsWithTheProxyNamed() throws Exception {
        CliResult result = doctor(Map.of("PREFECT_API_URL", apiUrl("localhost"), "HTTP_PROXY", "http://127.0.0.1:" + Prefect.freePort()), "network");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("fail", status(result, "health"));
        assertTrue(finding(result, "health").get("fix").asText().contains("HTTP_PROXY"), result::toString);
    }

    @Test
    void clientFacingAddressesAreQuestioned() throws Exception {
        CliResult anyAddress = doctor(Map.of("PREFECT_API_URL", apiUrl("0.0.0.0"), "PREFECT_API_AUTH_STRING", "admin:s3cret"), "network");
        assertEquals("warn", status(anyAddress, "api-url"), anyAddress::toString);
        assertEquals("warn", status(anyAddress, "ui-api-url"), "the dashboard's URL follows PREFECT_API_URL");
        CliResult noApiSuffix = doctor(Map.of("PREFECT_API_URL", server.base()), "network");
        assertEquals("warn", status(noApiSuffix, "api-url"), noApiSuffix::toString);
        CliResult notAUrl = doctor(Map.of("PREFECT_API_URL", "localhost:4200"), "network");
        assertEquals(1, notAUrl.exitCode(), notAUrl::toString);
        assertEquals("fail", status(notAUrl, "api-url"));
    }

    @Test
    void selfSignedCertificateTrustedThroughTheBundle() throws Exception {
        try (TlsTestServer tls = new TlsTestServer(temp.resolve("good"), "dns:localhost,ip:127.0.0.1", null, 365)) {
            Map<String, String> env = Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString());
            CliResult result = doctor(env, "certificates,network");
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("ok", status(result, "verification"));
            assertTrue(finding(result, "bundle").get("message").asText().startsWith("SSL_CERT_FILE"), result::toString);
            assertEquals("ok", status(result, "health"), "the CLI's client trusts the same bundle");
            assertEquals(0, prefect.run(env, "server", "status").exitCode());

            // Without the bundle, the self-signed certificate is not trusted: by the doctor nor by the client.
            Map<String, String> untrustedEnv = Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api");
            CliResult untrusted = doctor(untrustedEnv, "certificates");
            assertEquals(1, untrusted.exitCode(), untrusted::toString);
            assertTrue(finding(untrusted, "verification").get("message").asText().contains("not trusted"), untrusted::toString);
            assertTrue(finding(untrusted, "verification").get("fix").asText().contains("PREFECT_API_SSL_CERT_FILE"), untrusted::toString);
            assertEquals(1, prefect.run(untrustedEnv, "server", "status").exitCode());

            // Insecure mode: reported, with what verification would say, and the client connects.
            Map<String, String> insecure = Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api",
                    "PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "true");
            CliResult skip = doctor(insecure, "certificates");
            assertEquals(0, skip.exitCode(), skip::toString);
            assertEquals("warn", status(skip, "insecure"));
            assertTrue(finding(skip, "insecure").get("message").asText().contains("Verification would fail"), skip::toString);
            assertEquals(0, prefect.run(insecure, "server", "status").exitCode(), "skip-verify lets the client connect");
        }
    }

    @Test
    void tlsThroughAProxyTunnel() throws Exception {
        try (TlsTestServer tls = new TlsTestServer(temp.resolve("tunnel"), "dns:localhost", null, 365);
             ForwardProxy proxy = new ForwardProxy()) {
            Map<String, String> env = Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString(), "HTTPS_PROXY", proxy.url());
            CliResult result = doctor(env, "certificates,network");
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(proxy.requests().contains("CONNECT localhost:" + tls.port() + " HTTP/1.1"), proxy.requests().toString());
        }
    }

    @Test
    void expiredCertificateFails() throws Exception {
        try (TlsTestServer tls = new TlsTestServer(temp.resolve("expired"), "dns:localhost", "-10d", 2)) {
            CliResult result = doctor(Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString()), "certificates");
            assertEquals(1, result.exitCode(), result::toString);
            assertEquals("fail", status(result, "server-certificate"));
            assertTrue(finding(result, "verification").get("message").asText().contains("expired"), result::toString);
        }
    }

    @Test
    void certificateExpiringSoonWarns() throws Exception {
        try (TlsTestServer tls = new TlsTestServer(temp.resolve("soon"), "dns:localhost", null, 10)) {
            CliResult result = doctor(Map.of("PREFECT_API_URL", "https://localhost:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString()), "certificates");
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("warn", status(result, "server-certificate"));
            assertEquals("warn", status(result, "bundle-certificate"));
            assertEquals("ok", status(result, "verification"));
        }
    }

    @Test
    void wrongHostNameFails() throws Exception {
        try (TlsTestServer tls = new TlsTestServer(temp.resolve("wrong"), "dns:wrong.example", null, 365)) {
            CliResult result = doctor(Map.of("PREFECT_API_URL", "https://127.0.0.1:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString()), "certificates");
            assertEquals(1, result.exitCode(), result::toString);
            JsonNode verification = finding(result, "verification");
            assertTrue(verification.get("message").asText().contains("does not name 127.0.0.1"), result::toString);

            Map<String, String> client = new HashMap<>(Map.of("PREFECT_API_URL", "https://127.0.0.1:" + tls.port() + "/api",
                    "SSL_CERT_FILE", tls.certificatePem().toString()));
            assertEquals(1, prefect.run(client, "server", "status").exitCode(), "the client checks the host name too");
            client.put("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "true");
            CliResult insecure = prefect.run(client, "server", "status");
            assertEquals(0, insecure.exitCode(), "skip-verify skips the host name check as well: " + insecure);
        }
    }

    @Test
    void bundleThatIsNotPemFails() throws Exception {
        Path junk = Files.writeString(temp.resolve("junk.pem"), "not a certificate\n");
        CliResult result = doctor(Map.of("SSL_CERT_FILE", junk.toString(), "PREFECT_API_URL", "https://localhost:1/api"), "certificates");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("fail", status(result, "bundle"));
        CliResult missing = doctor(Map.of("PREFECT_API_SSL_CERT_FILE", temp.resolve("nope.pem").toString()), "certificates");
        assertEquals("fail", status(missing, "bundle"));
        assertTrue(finding(missing, "bundle").get("message").asText().startsWith("PREFECT_API_SSL_CERT_FILE"), missing::toString);
    }
}
