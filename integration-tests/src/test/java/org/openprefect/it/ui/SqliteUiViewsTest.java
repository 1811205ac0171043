package org.openprefect.it.ui;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The UI's views on SQLite. */
class SqliteUiViewsTest extends UiViewsContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.sqlite();
    }
}
