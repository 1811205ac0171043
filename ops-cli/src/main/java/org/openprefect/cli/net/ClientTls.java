package org.openprefect.cli.net;

import org.openprefect.appliance.settings.Settings;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates the client trusts, as the upstream client decides: the bundle in
 * {@code PREFECT_API_SSL_CERT_FILE} (whose default is {@code SSL_CERT_FILE}) and only that, else the
 * built-in CA list (upstream: certifi; here: the JDK's); {@code PREFECT_API_TLS_INSECURE_SKIP_VERIFY}
 * turns verification off.
 *
 * @param bundle the PEM bundle to trust, or null for the built-in list
 * @param source the variable that named the bundle, or null
 */
public record ClientTls(Path bundle, String source, boolean insecure) {

    public static ClientTls from(Settings settings, Map<String, String> env) {
        String configured = settings.text("api.ssl_cert_file");
        String fromEnv = env.get("SSL_CERT_FILE");
        boolean insecure = settings.bool("api.tls_insecure_skip_verify");
        if (configured != null && !configured.isBlank()) {
            return new ClientTls(Path.of(configured), "PREFECT_API_SSL_CERT_FILE", insecure);
        }
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ClientTls(Path.of(fromEnv), "SSL_CERT_FILE", insecure);
        }
        return new ClientTls(null, null, insecure);
    }

    /** The verifying trust manager for this configuration, whatever {@code insecure} says. */
    public X509TrustManager verifyingTrustManager() throws IOException, GeneralSecurityException {
        KeyStore store = bundle == null ? null : PemBundle.trustStore(PemBundle.read(bundle));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** The context the CLI's client uses: verifying, or trusting everything when told to skip verification. */
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{insecure ? TRUST_ALL : verifyingTrustManager()}, null);
        return context;
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Verification is off because the operator set PREFECT_API_TLS_INSECURE_SKIP_VERIFY.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
