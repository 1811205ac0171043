package org.openprefect.appliance.common;

/**
 * A request value that parsed but makes no sense (a limit above the maximum, a history interval
 * under a second), raised below the HTTP layer, which answers it as upstream does: 422 with
 * {@code {"detail": message}}.
 */
public final class InvalidInputException extends RuntimeException {
    public InvalidInputException(String detail) {
        super(detail);
    }
}
