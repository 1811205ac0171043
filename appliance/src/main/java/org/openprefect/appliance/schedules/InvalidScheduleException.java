package org.openprefect.appliance.schedules;

/** A schedule upstream's models would refuse: {@code field} is the schedule's field at fault, the message upstream's wording. */
public final class InvalidScheduleException extends RuntimeException {
    private final String field;

    public InvalidScheduleException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
