package org.openprefect.cli.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** A PEM file of CA certificates, the form {@code SSL_CERT_FILE} and {@code PREFECT_API_SSL_CERT_FILE} take. */
public final class PemBundle {
    private PemBundle() {
    }

    /** Every certificate in the file; fails when the file is unreadable, malformed or holds none. */
    public static List<X509Certificate> read(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in " + file);
            }
            return certs;
        }
    }

    /** The certificates as a trust store, each one an anchor. */
    public static KeyStore trustStore(List<X509Certificate> certs) throws CertificateException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                store.setCertificateEntry("ca-" + i, certs.get(i));
            }
            return store;
        } catch (KeyStoreException | IOException | NoSuchAlgorithmException e) {
            throw new CertificateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }
}
