package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** Orchestration rules on PostgreSQL. */
class PostgresOrchestrationTest extends OrchestrationContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
