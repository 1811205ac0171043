package org.openprefect.appliance.flows;

/** What {@code POST /flows/} did: the stored flow, and whether this call created it (201) or found it (200). */
public record FlowUpsert(Flow flow, boolean created) {
}
