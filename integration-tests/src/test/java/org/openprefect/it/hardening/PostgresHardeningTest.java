package org.openprefect.it.hardening;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The hardening contract on PostgreSQL. */
class PostgresHardeningTest extends HardeningContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
