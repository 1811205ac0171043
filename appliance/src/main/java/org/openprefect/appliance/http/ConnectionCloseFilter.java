package org.openprefect.appliance.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the TCP connection after answering a request that carries {@code Connection: close}, as
 * RFC 9112 9.6 requires and uvicorn does. Helidon 4.5 answers such a request with
 * {@code Connection: close} but keeps reading from the socket, so a client that reads until the
 * server closes (an HTTP/1.0-style health probe, {@code cat} on {@code /dev/tcp}) would hang.
 */
public final class ConnectionCloseFilter implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE) && res.isSent()) {
            throw new CloseConnectionException("The client asked to close the connection");
        }
    }
}
