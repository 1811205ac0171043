package org.openprefect.it.ui;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The UI's API session on SQLite. */
class SqliteUiApiTest extends UiApiContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.sqlite();
    }
}
