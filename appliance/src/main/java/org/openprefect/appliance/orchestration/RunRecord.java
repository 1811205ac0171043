package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The fields of a flow or task run that orchestration reads and maintains, loaded under a lock
 * and written back with the new state in the same transaction.
 */
public final class RunRecord {
    public UUID id;
    public UUID flowRunId;          // task runs: the parent flow run
    public UUID deploymentId;       // flow runs
    public UUID parentTaskRunId;    // flow runs (subflows)
    public String infrastructurePid;
    public ObjectNode empiricalPolicy;
    public UUID stateId;
    public StateType stateType;
    public String stateName;
    public Instant stateTimestamp;
    public int runCount;
    public int flowRunRunCount;     // task runs
    public String cacheKey;         // task runs
    public Instant cacheExpiration; // task runs
    public Instant expectedStartTime;
    public Instant nextScheduledStartTime;
    public Instant startTime;
    public Instant endTime;
    public double totalRunTime;
    /** The columns {@code saveRun} writes, as last read or written: it writes only those that differ. */
    public Map<String, Object> stored;
}
