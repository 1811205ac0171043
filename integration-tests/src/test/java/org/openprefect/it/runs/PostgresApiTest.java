package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The API contract on PostgreSQL. */
class PostgresApiTest extends ApiContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
