package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** Orchestration rules on SQLite. */
class SqliteOrchestrationTest extends OrchestrationContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.sqlite();
    }
}
