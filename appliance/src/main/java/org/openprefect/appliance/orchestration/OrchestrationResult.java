package org.openprefect.appliance.orchestration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a transition came to: {@code {state, status, details}}. {@code written} says whether a new
 * state row was stored, which makes the HTTP status 201 rather than 200.
 */
public record OrchestrationResult(State state, Status status, String reason, Integer delaySeconds, boolean written) {

    public enum Status { ACCEPT, REJECT, ABORT, WAIT }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("state", state == null ? NullNode.getInstance() : state.toJson());
        json.put("status", status.name());
        ObjectNode details = json.putObject("details");
        switch (status) {
            case ACCEPT -> details.put("type", "accept_details");
            case REJECT -> details.put("type", "reject_details").put("reason", reason);
            case ABORT -> details.put("type", "abort_details").put("reason", reason);
            case WAIT -> details.put("type", "wait_details").put("delay_seconds", delaySeconds).put("reason", reason);
        }
        return json;
    }
}
