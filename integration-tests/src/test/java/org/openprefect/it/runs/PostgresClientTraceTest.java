package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The client-trace contract against a server on the local PostgreSQL. */
class PostgresClientTraceTest extends ClientTraceContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
