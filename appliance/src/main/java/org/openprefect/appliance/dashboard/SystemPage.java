package org.openprefect.appliance.dashboard;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.services.LoopService;

import java.time.Instant;
import java.util.List;

/** Version, database, schema revision, the background services' last runs, and, on request, the doctor's findings. */
final class SystemPage {
    /** A background service and how its loop is doing. */
    record ServiceRow(String name, boolean leading, String lastSuccess, String lastFailure, String lastError, boolean stuck) {
    }

    /** A finding, with the CSS class of its status. */
    record FindingRow(String section, String check, String status, String statusClass, String message, String fix) {
    }

    /** The page. */
    record Model(String base, String apiBase, String prefectVersion, String apiVersion, String buildVersion, String database, String revision, List<ServiceRow> services,
                 boolean checksAvailable, boolean checked, List<FindingRow> findings) {
    }

    private final Sources sources;
    private final SystemChecks checks;
    private final String base;
    private final String apiBase;

    SystemPage(Sources sources, SystemChecks checks, String base, String apiBase) {
        this.sources = sources;
        this.checks = checks;
        this.base = base;
        this.apiBase = apiBase;
    }

    Model model(Query q) {
        Instant now = Times.now();
        List<ServiceRow> services = sources.services().stream().map(loop -> {
            LoopService.Status s = loop.status();
            return new ServiceRow(loop.name(), s.leading(), Display.time(s.lastSuccess()), Display.time(s.lastFailure()),
                    s.lastError() == null ? "" : s.lastError(), loop.isStuck(now));
        }).toList();
        boolean check = q.text("doctor", "").equals("1") && checks != SystemChecks.NONE;
        List<FindingRow> findings = check ? checks.run().stream().map(f -> new FindingRow(f.section(), f.check(), f.status(),
                "finding-" + f.status(), f.message(), f.fix())).toList() : List.of();
        return new Model(base, apiBase, sources.version().prefectVersion(), sources.version().apiVersion(), sources.version().buildVersion(),
                sources.database().kind().label(), sources.database().schemaRevision().orElse("none (not migrated)"), services,
                checks != SystemChecks.NONE, check, findings);
    }
}
