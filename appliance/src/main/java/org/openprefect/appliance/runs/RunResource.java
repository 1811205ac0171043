package org.openprefect.appliance.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.WireShape;
import org.openprefect.appliance.filters.Listings;
import org.openprefect.appliance.orchestration.OrchestrationResult;

import java.util.List;
import java.util.UUID;

/** What flow runs and task runs both offer over the API, so {@link RunRoutes} serves both from one set of routes. */
public interface RunResource {
    Listings listings();

    JsonNode history(JsonNode body);

    OrchestrationResult setState(UUID id, JsonNode body);

    WireShape read(UUID id);

    void delete(UUID id);

    ObjectNode state(UUID stateId);

    List<ObjectNode> statesOfRun(UUID runId);
}
