package org.openprefect.appliance.dashboard;

import java.time.Duration;
import java.util.List;

/** The time windows a page offers: the last hour, day, week or 30 days. */
final class Windows {
    /** One choice of the window select. */
    record Window(String key, String label, Duration span, boolean selected) {
    }

    private static final List<Window> ALL = List.of(new Window("1h", "Last hour", Duration.ofHours(1), false),
            new Window("24h", "Last 24 hours", Duration.ofDays(1), false), new Window("7d", "Last 7 days", Duration.ofDays(7), false),
            new Window("30d", "Last 30 days", Duration.ofDays(30), false));

    private Windows() {
    }

    /** The window named {@code key}, or {@code fallback}'s when the key is unknown. */
    static Window chosen(String key, String fallback) {
        return ALL.stream().filter(w -> w.key().equals(key)).findFirst()
                .orElseGet(() -> ALL.stream().filter(w -> w.key().equals(fallback)).findFirst().orElseThrow());
    }

    /** The choices, the chosen one marked. */
    static List<Window> options(Window chosen) {
        return ALL.stream().map(w -> new Window(w.key(), w.label(), w.span(), w.key().equals(chosen.key()))).toList();
    }
}
