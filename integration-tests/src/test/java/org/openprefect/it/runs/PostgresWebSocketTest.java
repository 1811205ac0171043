package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The websocket contract against the shared server on the local PostgreSQL. */
class PostgresWebSocketTest extends WebSocketContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
