package org.openprefect.appliance.concurrency;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A lease on concurrency slots: {@code slots} taken on each of {@code limitIds} until {@code expires}, by an optional holder. */
public record Lease(UUID id, Instant created, Instant expires, int slots, String holderType, UUID holderId, List<UUID> limitIds) {
}
