package org.openprefect.appliance.dashboard;

import java.util.List;

/**
 * The operator's health checks shown on the system page. {@code prefect server start} hands in the
 * database, migration and SQLite sections of {@code prefect doctor}; the appliance alone has none.
 */
@FunctionalInterface
public interface SystemChecks {
    SystemChecks NONE = List::of;

    /** One finding: section, check, {@code ok}/{@code warn}/{@code fail}, what was found, what to do. */
    record Result(String section, String check, String status, String message, String fix) {
    }

    List<Result> run();
}
