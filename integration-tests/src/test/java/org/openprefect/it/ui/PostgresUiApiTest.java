package org.openprefect.it.ui;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The UI's API session on PostgreSQL. */
class PostgresUiApiTest extends UiApiContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
