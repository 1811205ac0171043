package org.openprefect.appliance.http;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads request bodies sent with {@code Content-Encoding: gzip} (proxies and some HTTP clients
 * compress uploads); without it Helidon refuses them with an empty 400. Responses are compressed
 * by {@link Responses} instead, which applies upstream's 1000-byte minimum; Helidon's own encoder
 * would compress every body and has no threshold. (Helidon's gzip module is not served at 4.5.0.)
 */
public final class GzipRequestBodies implements ContentEncoding {
    /** Decoding of gzip request bodies, and no response encoding. */
    public static ContentEncodingContext context() {
        return ContentEncodingContext.builder().contentEncodingsDiscoverServices(false)
                .addContentEncoding(new GzipRequestBodies()).build();
    }

    @Override
    public Set<String> ids() {
        return Set.of("gzip", "x-gzip");
    }

    @Override
    public boolean supportsEncoding() {
        return false;
    }

    @Override
    public boolean supportsDecoding() {
        return true;
    }

    @Override
    public ContentDecoder decoder() {
        return in -> {
            try {
                return new GZIPInputStream(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Request body is not valid gzip", e);
            }
        };
    }

    @Override
    public ContentEncoder encoder() {
        return ContentEncoder.NO_OP;
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String type() {
        return "gzip";
    }
}
