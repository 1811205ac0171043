package org.openprefect.appliance;

import org.openprefect.appliance.settings.Settings;

import java.util.List;

/**
 * The background services this server runs, under upstream's service names and enable settings,
 * for {@code prefect server services ls} and {@code start}. Upstream lists more (triggers, actions,
 * vacuum...); those are not built here yet, so they are not listed.
 */
public final class ServiceCatalogue {
    /** One service: upstream's class name, our loop's name, its enable setting and a line about it. */
    public record Entry(String name, String loop, String setting, String environmentVariable, String description) {
        public boolean enabled(Settings settings) {
            return settings.bool(setting);
        }
    }

    public static final List<Entry> ENTRIES = List.of(
            entry("CancellationCleanup", "cancellation-cleanup", "cancellation_cleanup",
                    "Cancels tasks and subflows of flow runs that have been cancelled"),
            entry("EventPersister", "event-trimming", "event_persister",
                    "Deletes events older than PREFECT_SERVER_EVENTS_RETENTION_PERIOD (events are stored as they arrive)"),
            entry("FailExpiredPauses", "pause-expirations", "pause_expirations", "Fails flow runs that have been paused and never resumed"),
            entry("Foreman", "foreman", "foreman", "Marks workers that stopped heartbeating offline, and pools, queues and deployments nobody serves as not ready"),
            entry("MarkLateRuns", "late-runs", "late_runs", "Marks flow runs that have not started on time as Late"),
            entry("Repossessor", "repossessor", "repossessor", "Revokes expired concurrency leases and frees their slots"),
            entry("RecentDeploymentsScheduler", "recent-deployments-scheduler", "scheduler",
                    "Schedules deployments that were updated very recently"),
            entry("Scheduler", "scheduler", "scheduler", "Schedules flow runs from deployments."));

    private ServiceCatalogue() {
    }

    private static Entry entry(String name, String loop, String key, String description) {
        return new Entry(name, loop, "server.services." + key + ".enabled", "PREFECT_SERVER_SERVICES_" + key.toUpperCase() + "_ENABLED",
                description);
    }
}
