package org.openprefect.it.runs;

import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.SharedServers;

/** The deployment contract on PostgreSQL. */
class PostgresDeploymentTest extends DeploymentContract {
    @Override
    RunningServer server() throws Exception {
        return SharedServers.postgres();
    }
}
