package org.openprefect.appliance;

/** The server cannot start; the message tells the operator why and what to do. */
public class ServerStartException extends RuntimeException {
    public ServerStartException(String message) {
        super(message);
    }
}
