package org.openprefect.cli.doctor;

import org.openprefect.cli.net.ProxyRoute;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One TLS handshake with the API host, through the proxy the client would use, that never fails on
 * the certificate: it records the server's chain, then judges it with the client's trust (chain
 * first, then the host name), so the doctor can say exactly what a real client would trip on.
 */
final class TlsProbe {
    enum Verdict { VERIFIED, UNTRUSTED, EXPIRED, NOT_YET_VALID, HOSTNAME }

    /** The server's chain and what a verifying client makes of it. */
    record Result(List<X509Certificate> chain, Verdict verdict, String detail) {
    }

    private TlsProbe() {
    }

    static Result probe(ProxyRoute route, X509TrustManager verifier, int timeoutMillis) throws IOException, GeneralSecurityException {
        URI api = route.target();
        String host = api.getHost().startsWith("[") ? api.getHost().substring(1, api.getHost().length() - 1) : api.getHost();
        int port = api.getPort() > 0 ? api.getPort() : 443;
        Judge judge = new Judge(verifier);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{judge}, null);
        try (Socket raw = open(route, host, port, timeoutMillis);
             SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true)) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.setSoTimeout(timeoutMillis);
            tls.startHandshake();
        }
        if (judge.chain == null) {
            throw new IOException("the server sent no certificate");
        }
        return new Result(List.of(judge.chain), judge.verdict, judge.detail);
    }

    private static Socket open(ProxyRoute route, String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        if (route.direct()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return socket;
        }
        InetSocketAddress proxy = route.proxyAddress();
        socket.connect(new InetSocketAddress(proxy.getHostString(), proxy.getPort()), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        StringBuilder connect = new StringBuilder("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n");
        route.proxyAuthorization().ifPresent(value -> connect.append("Proxy-Authorization: ").append(value).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(connect.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead(socket.getInputStream());
        String status = head.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 2\\d\\d.*")) {
            socket.close();
            throw new IOException("the proxy " + route.proxyForDisplay() + " refused CONNECT " + authority + ": " + status);
        }
        return socket;
    }

    /** The status line and headers of the proxy's answer, read byte by byte so no TLS byte is consumed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.length() > 16384) {
                throw new IOException("the proxy closed the connection during CONNECT");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Records the chain and the verdict instead of aborting the handshake. */
    private static final class Judge extends X509ExtendedTrustManager {
        private final X509TrustManager verifier;
        X509Certificate[] chain;
        Verdict verdict;
        String detail = "";

        Judge(X509TrustManager verifier) {
            this.verifier = verifier;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            this.chain = chain;
            try {
                verifier.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                verdict = classify(e);
                detail = rootMessage(e);
                return;
            }
            // PKIX does not check a trust anchor's own dates; a client like OpenSSL does.
            try {
                chain[0].checkValidity();
            } catch (CertificateExpiredException e) {
                verdict = Verdict.EXPIRED;
                detail = "the certificate expired on " + chain[0].getNotAfter().toInstant();
                return;
            } catch (CertificateNotYetValidException e) {
                verdict = Verdict.NOT_YET_VALID;
                detail = "the certificate is valid only from " + chain[0].getNotBefore().toInstant();
                return;
            }
            if (verifier instanceof X509ExtendedTrustManager extended) {
                try {
                    extended.checkServerTrusted(chain, authType, socket);
                } catch (CertificateException e) {
                    verdict = Verdict.HOSTNAME;
                    detail = rootMessage(e);
                    return;
                }
            }
            verdict = Verdict.VERIFIED;
        }

        private static Verdict classify(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateExpiredException
                        || (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
                    return Verdict.EXPIRED;
                }
                if (t instanceof CertificateNotYetValidException
                        || (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                    return Verdict.NOT_YET_VALID;
                }
            }
            return Verdict.UNTRUSTED;
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("the probe uses a socket");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("the probe needs the socket to check the host name");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
