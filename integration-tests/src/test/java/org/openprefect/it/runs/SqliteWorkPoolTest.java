package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The work-pool contract on Sqlite. */
class SqliteWorkPoolTest extends WorkPoolContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.sqlite();
    }
}
