package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** What orchestration needs from a run table (flow runs or task runs) and its states table. */
public interface RunStore {
    /** The run, locked for the rest of the transaction, or null when there is none. */
    RunRecord loadForUpdate(Connection c, UUID runId) throws SQLException;

    State readState(Connection c, UUID stateId) throws SQLException;

    boolean stateTimestampTaken(Connection c, UUID runId, Instant timestamp) throws SQLException;

    /** Inserts the state row (moving persisted result data into an artifact) and points the run at it. */
    void writeState(Connection c, RunRecord run, State state) throws SQLException;

    void saveRun(Connection c, RunRecord run) throws SQLException;

    String kindLabel();

    /** Task runs: the flow run they belong to (type, name, run count, pause details), or null. */
    default ParentFlowRun parentFlowRun(Connection c, UUID flowRunId) throws SQLException {
        return null;
    }

    /** Task runs: the newest cached COMPLETED state for a cache key that has not expired. */
    default State cachedState(Connection c, String cacheKey, Instant now) throws SQLException {
        return null;
    }

    default void insertCache(Connection c, String cacheKey, Instant expiration, UUID stateId) throws SQLException {
    }

    /** Called once a state is written and the run saved: flow runs emit their {@code prefect.flow-run.*} event here. */
    default void stateWritten(Connection c, RunRecord run, State initial, State written) throws SQLException {
    }

    /** Flow runs: the store of the task runs that stand for subflows in their parent flow, which mirror the subflow's states. */
    default RunStore parentTaskStore() {
        return null;
    }

    /** Flow runs: the deployments' concurrency limits, for the deployment-concurrency rules; null where there are none. */
    default DeploymentConcurrency deploymentConcurrency() {
        return null;
    }

    /** Task runs: their tags' concurrency limits, for the tag-concurrency rules; null where there are none. */
    default TagConcurrency tagConcurrency() {
        return null;
    }

    /** The parent of a task run, as the task rules look at it. */
    record ParentFlowRun(UUID id, StateType stateType, String stateName, int runCount, ObjectNode stateDetails) {
    }
}
