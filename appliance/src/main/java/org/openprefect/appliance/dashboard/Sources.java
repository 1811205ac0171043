package org.openprefect.appliance.dashboard;

import org.openprefect.appliance.artifacts.ArtifactService;
import org.openprefect.appliance.blocks.BlockDocumentService;
import org.openprefect.appliance.common.ServerVersion;
import org.openprefect.appliance.concurrency.ConcurrencyLimitService;
import org.openprefect.appliance.concurrency.TagLimitService;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.deployments.DeploymentService;
import org.openprefect.appliance.events.EventService;
import org.openprefect.appliance.flowruns.FlowRunService;
import org.openprefect.appliance.flows.FlowService;
import org.openprefect.appliance.logs.LogService;
import org.openprefect.appliance.services.LoopService;
import org.openprefect.appliance.taskruns.TaskRunService;
import org.openprefect.appliance.variables.VariableService;
import org.openprefect.appliance.workpools.WorkPoolService;

import java.util.List;

/**
 * The features the dashboard reads and acts through: the same services the API's handlers call,
 * so every page sees what the API answers and every button goes through the orchestration rules.
 */
public record Sources(ServerVersion version, Database database, List<LoopService> services, FlowService flows, FlowRunService flowRuns,
                      TaskRunService taskRuns, LogService logs, DeploymentService deployments, WorkPoolService workPools,
                      ConcurrencyLimitService globalLimits, TagLimitService tagLimits, BlockDocumentService blockDocuments,
                      VariableService variables, ArtifactService artifacts, EventService events) {
}
