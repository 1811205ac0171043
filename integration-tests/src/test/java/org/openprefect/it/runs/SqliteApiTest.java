package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The API contract on SQLite. */
class SqliteApiTest extends ApiContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.sqlite();
    }
}
