package org.openprefect.cli.doctor;

import org.openprefect.cli.net.ClientTls;
import org.openprefect.cli.net.PemBundle;
import org.openprefect.cli.net.ProxyEnvironment;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates section: the bundle the client trusts and each certificate in it, then a TLS
 * handshake with the API host judged as the client would judge it, and the insecure switch.
 */
final class CertificateChecks {
    static final String SECTION = "certificates";
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    /** Bundles up to this size (a private CA, a self-signed certificate) are listed certificate by certificate. */
    static final int LISTED_CERTIFICATES = 10;

    private CertificateChecks() {
    }

    static List<Finding> run(ClientTls tls, ProxyEnvironment proxies, String apiUrl) {
        List<Finding> out = new ArrayList<>();
        boolean bundleUsable = bundle(tls, out);
        URI api = NetworkChecks.parse(apiUrl);
        if (api == null || !"https".equalsIgnoreCase(api.getScheme())) {
            out.add(Finding.ok(SECTION, "handshake", api == null ? "No usable PREFECT_API_URL: no TLS connection to check (see the network section)."
                    : "PREFECT_API_URL uses http: there is no TLS connection to check."));
            if (tls.insecure()) {
                out.add(Finding.warn(SECTION, "insecure", "PREFECT_API_TLS_INSECURE_SKIP_VERIFY is on (it has no effect on an http URL).",
                        "Turn it off: prefect config unset PREFECT_API_TLS_INSECURE_SKIP_VERIFY"));
            }
            return out;
        }
        if (!bundleUsable) {
            out.add(Finding.fail(SECTION, "handshake", "The TLS connection cannot be verified: the certificate bundle is not usable.",
                    "Fix the bundle first (above)."));
            return out;
        }
        TlsProbe.Result result;
        try {
            result = TlsProbe.probe(proxies.route(api), tls.verifyingTrustManager(), 10_000);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            out.add(Finding.fail(SECTION, "handshake", "No TLS handshake with " + api.getHost() + ":" + port(api) + ": " + NetworkChecks.reason(e),
                    "Check that the server answers TLS on that port (see the network section for the route)."));
            return out;
        }
        X509Certificate leaf = result.chain().getFirst();
        out.add(expiry("server-certificate", "The server's certificate " + describe(leaf), leaf,
                "Renew the server's certificate before it expires."));
        String verdict = switch (result.verdict()) {
            case VERIFIED -> "The server's certificate chain and host name verify with " + trustName(tls) + ".";
            case UNTRUSTED -> "The server's certificate is not trusted by " + trustName(tls) + ": " + result.detail();
            case EXPIRED -> "The server's certificate has expired: " + result.detail();
            case NOT_YET_VALID -> "The server's certificate is not valid yet: " + result.detail();
            case HOSTNAME -> "The server's certificate does not name " + api.getHost() + ": " + result.detail();
        };
        String fix = switch (result.verdict()) {
            case VERIFIED -> "";
            case UNTRUSTED -> "Put the CA that signed the server's certificate (for a self-signed one, the certificate itself) in a PEM file "
                    + "and set PREFECT_API_SSL_CERT_FILE to it.";
            case EXPIRED, NOT_YET_VALID -> "Renew the server's certificate (and check this machine's clock).";
            case HOSTNAME -> "Use a host name the certificate names in PREFECT_API_URL, or reissue the certificate with "
                    + api.getHost() + " in its subject alternative names.";
        };
        boolean verified = result.verdict() == TlsProbe.Verdict.VERIFIED;
        if (tls.insecure()) {
            out.add(Finding.warn(SECTION, "insecure", "PREFECT_API_TLS_INSECURE_SKIP_VERIFY is on: clients accept any certificate. "
                            + (verified ? "Verification would have passed: " : "Verification would fail: ") + verdict,
                    verified ? "Turn it off: prefect config unset PREFECT_API_TLS_INSECURE_SKIP_VERIFY"
                            : fix + " Then turn it off: prefect config unset PREFECT_API_TLS_INSECURE_SKIP_VERIFY"));
        } else {
            out.add(verified ? Finding.ok(SECTION, "verification", verdict) : Finding.fail(SECTION, "verification", verdict, fix));
        }
        return out;
    }

    /** Reports the bundle and each certificate in it; returns whether it can be used. */
    private static boolean bundle(ClientTls tls, List<Finding> out) {
        if (tls.bundle() == null) {
            out.add(Finding.ok(SECTION, "bundle", "Neither PREFECT_API_SSL_CERT_FILE nor SSL_CERT_FILE is set: the built-in CA list is trusted."));
            return true;
        }
        if (!Files.isRegularFile(tls.bundle()) || !Files.isReadable(tls.bundle())) {
            out.add(Finding.fail(SECTION, "bundle", tls.source() + " names " + tls.bundle() + ", which is not a readable file.",
                    "Point " + tls.source() + " at the PEM file of the CA that signed the server's certificate, or unset it."));
            return false;
        }
        List<X509Certificate> certs;
        try {
            certs = PemBundle.read(tls.bundle());
        } catch (IOException | CertificateException e) {
            out.add(Finding.fail(SECTION, "bundle", tls.source() + " (" + tls.bundle() + ") is not a PEM certificate bundle: " + e.getMessage(),
                    "Use a file of one or more -----BEGIN CERTIFICATE----- blocks (convert DER with: openssl x509 -inform der -in CERT -out CERT.pem)."));
            return false;
        }
        long expired = certs.stream().filter(c -> c.getNotAfter().toInstant().isBefore(Instant.now())).count();
        String summary = tls.source() + " = " + tls.bundle() + ": " + certs.size() + " certificate(s), "
                + certs.stream().filter(c -> c.getBasicConstraints() >= 0).count() + " of them CAs; only these are trusted (the built-in CA list is not added).";
        if (expired == certs.size()) {
            out.add(Finding.fail(SECTION, "bundle", summary + " Every one has expired.", "Replace " + tls.bundle() + " with current certificates."));
            return true;
        }
        out.add(Finding.ok(SECTION, "bundle", summary));
        if (certs.size() > LISTED_CERTIFICATES) {
            // A system bundle: expired roots in it are normal and ignored; the handshake says whether the right one is there.
            out.add(Finding.ok(SECTION, "bundle-certificate", expired + " of them have expired; clients skip those. Not listed one by one: more than "
                    + LISTED_CERTIFICATES + "."));
            return true;
        }
        for (X509Certificate cert : certs) {
            Finding f = expiry("bundle-certificate", describe(cert) + (cert.getBasicConstraints() >= 0 ? ", a CA" : ", not a CA"), cert,
                    "Replace it in " + tls.bundle() + " with a current certificate.");
            // One bad certificate among good ones breaks only the servers it signed: the handshake check tells.
            out.add(f.status() == Finding.Status.FAIL ? Finding.warn(SECTION, f.check(), f.message(), f.fix()) : f);
        }
        return true;
    }

    private static Finding expiry(String check, String what, X509Certificate cert, String fix) {
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant now = Instant.now();
        if (notAfter.isBefore(now)) {
            return Finding.fail(SECTION, check, what + ": expired on " + notAfter + ".", fix);
        }
        if (cert.getNotBefore().toInstant().isAfter(now)) {
            return Finding.fail(SECTION, check, what + ": not valid before " + cert.getNotBefore().toInstant() + ".",
                    "Check this machine's clock, or " + Character.toLowerCase(fix.charAt(0)) + fix.substring(1));
        }
        if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            return Finding.warn(SECTION, check, what + ": expires on " + notAfter + ", within " + EXPIRY_WARNING.toDays() + " days.", fix);
        }
        return Finding.ok(SECTION, check, what + ": valid until " + notAfter + ".");
    }

    private static String describe(X509Certificate cert) {
        return "subject \"" + cert.getSubjectX500Principal().getName() + "\", issuer \"" + cert.getIssuerX500Principal().getName() + "\"";
    }

    private static String trustName(ClientTls tls) {
        return tls.bundle() == null ? "the built-in CA list" : tls.source() + " (" + tls.bundle() + ")";
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 443;
    }
}
