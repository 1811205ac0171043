package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The work-pool contract on PostgreSQL. */
class PostgresWorkPoolTest extends WorkPoolContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
