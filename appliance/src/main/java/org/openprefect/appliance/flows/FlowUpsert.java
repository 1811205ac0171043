package org.openprefect.appliance.flows;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What {@code POST /flows/} did: the stored flow, and whether this call created it (201) or found it (200). */
public record FlowUpsert(ObjectNode flow, boolean created) {
}
