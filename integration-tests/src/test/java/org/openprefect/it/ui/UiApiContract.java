package org.openprefect.it.ui;

import org.junit.jupiter.api.Test;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.TraceReplay;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The official 3.4 UI's calls (traces/ui.jsonl: its REST seeding and the 21 pages Chromium visited
 * from another origin) replayed with the browser's headers: every preflight answered as upstream
 * answers it, every call with upstream's status, fields and {@code Access-Control-Allow-Origin}.
 * One subclass per database.
 */
abstract class UiApiContract {
    abstract RunningServer server() throws Exception;

    @Test
    void theRecordedUiSessionGetsUpstreamsAnswersFromAnotherOrigin() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        TraceReplay replay = new TraceReplay(server().api("")).rename("8d45b7", suffix).withBrowserHeaders();
        List<String> differences = replay.replay("/traces/ui-http.jsonl").stream()
                // Our settings catalogue is upstream's newer one: /admin/settings has more sections than 3.4.25's.
                .filter(d -> !d.contains("GET /admin/settings answered fields"))
                .toList();
        assertEquals(List.of(), differences);
    }
}
