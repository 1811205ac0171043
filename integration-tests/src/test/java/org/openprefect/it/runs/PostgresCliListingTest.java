package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The CLI listings on PostgreSQL. */
class PostgresCliListingTest extends CliListingContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
