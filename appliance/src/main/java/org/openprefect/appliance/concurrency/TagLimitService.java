package org.openprefect.appliance.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tag concurrency limits, the {@code /concurrency_limits/} API, as upstream 3.4.25 serves it: an
 * adapter over global limits named {@code tag:<tag>} (r0005 moved the old rows there), whose
 * {@code active_slots} are the task runs holding its leases. The 3.4 engine itself takes tag slots
 * through {@code /v2/concurrency_limits/increment-with-lease}; these routes serve the CLI and older
 * clients, whose slots are leased for upstream's hundred years (they cannot renew).
 */
public final class TagLimitService {
    static final String NOT_FOUND = "Concurrency limit not found";
    static final Duration V1_LEASE_TTL = Duration.ofDays(100 * 365);
    static final String TASK_RUN = "task_run";

    private final ConcurrencyLimitService global;
    private final Database db;
    private final ConcurrencyRepository limits;
    private final int defaultLimit;
    private final double slotWaitSeconds;

    /** @param slotWaitSeconds {@code PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS}, the Retry-After of a full tag */
    public TagLimitService(ConcurrencyLimitService global, int defaultLimit, double slotWaitSeconds) {
        this.global = global;
        this.db = global.db();
        this.limits = global.repository();
        this.defaultLimit = defaultLimit;
        this.slotWaitSeconds = slotWaitSeconds;
    }

    /** The limit and whether this call created it (201) or changed the one the tag had (200). */
    public record Upserted(ObjectNode limit, boolean created) {
    }

    public Upserted create(JsonNode body) {
        String tag = body.get("tag").asText();
        int limit = body.get("concurrency_limit").asInt();
        return db.write(c -> {
            GlobalLimit existing = limits.byName(c, GlobalLimit.TAG_PREFIX + tag);
            if (existing != null) {
                limits.update(c, existing.id(), Map.of("\"limit\"", limit));
            } else {
                limits.insert(c, Ids.v4(), GlobalLimit.TAG_PREFIX + tag, limit, true, 0, 0, 0.0);
            }
            return new Upserted(tagLimit(c, limits.byName(c, GlobalLimit.TAG_PREFIX + tag)), existing == null);
        });
    }

    public ObjectNode read(UUID id) {
        return db.read(c -> {
            GlobalLimit limit = limits.byId(c, id);
            return tagLimit(c, limit == null || !limit.isTagLimit() ? null : limit);
        });
    }

    public ObjectNode readByTag(String tag) {
        return db.read(c -> tagLimit(c, limits.byName(c, GlobalLimit.TAG_PREFIX + tag)));
    }

    /** {@code POST /concurrency_limits/filter}: the tag limits by tag. */
    public List<ObjectNode> list(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> {
            List<ObjectNode> out = new ArrayList<>();
            for (GlobalLimit limit : limits.list(c, GlobalLimit.TAG_PREFIX, paging.limit(), paging.offset())) {
                out.add(tagLimit(c, limit));
            }
            return out;
        });
    }

    /**
     * {@code POST /concurrency_limits/tag/{tag}/reset}: its leases are released and, when given, the
     * task runs of {@code slot_override} hold its slots instead. Upstream 3.4.25 revokes the leases
     * without freeing their slots, so a reset limit stays full; we free them.
     */
    public void reset(String tag, JsonNode slotOverride) {
        Instant now = Times.now();
        db.write(c -> {
            GlobalLimit limit = requireTag(c, tag);
            for (Lease lease : limits.leasesOf(c, limit.id())) {
                global.releaseLease(c, lease.id(), now);
            }
            for (String taskRun : Json.texts(slotOverride)) {
                GlobalLimit locked = limits.lockByIds(c, List.of(limit.id())).getFirst();
                limits.setSlots(c, locked.id(), SlotArithmetic.activeAfterDecay(locked, now) + 1, locked.deniedSlots(),
                        locked.avgSlotOccupancySeconds(), now);
                limits.insertLease(c, new Lease(Ids.v4(), now, now.plus(V1_LEASE_TTL), 1, TASK_RUN, UUID.fromString(taskRun),
                        List.of(limit.id())));
            }
            return null;
        });
    }

    public void delete(UUID id) {
        db.write(c -> {
            GlobalLimit limit = limits.byId(c, id);
            deleteWithLeases(c, ApiException.found(limit == null || !limit.isTagLimit() ? null : limit, NOT_FOUND));
            return null;
        });
    }

    public void deleteByTag(String tag) {
        db.write(c -> {
            deleteWithLeases(c, requireTag(c, tag));
            return null;
        });
    }

    private void deleteWithLeases(Connection c, GlobalLimit limit) throws SQLException {
        for (Lease lease : limits.leasesOf(c, limit.id())) {
            limits.deleteLease(c, lease.id());
        }
        limits.delete(c, limit.id());
    }

    /**
     * {@code POST /concurrency_limits/increment}: a slot of every tag's limit for the task run, under
     * one lease, or none (423: a limit of 0 deadlocks, a full one asks to retry after the wait).
     */
    public ArrayNode increment(List<String> tags, UUID taskRunId) {
        Instant now = Times.now();
        return db.write(c -> {
            List<GlobalLimit> named = limits.lockByNames(c, tags.stream().map(t -> GlobalLimit.TAG_PREFIX + t).toList());
            for (GlobalLimit l : named) {
                if (l.limit() == 0) {
                    throw ApiException.detail(423, "The concurrency limit on tag \"" + l.tag() + "\" is 0 and will deadlock if the task tries "
                            + "to run again.");
                }
            }
            List<GlobalLimit> active = named.stream().filter(GlobalLimit::active).toList();
            if (!global.take(c, active, 1, now)) {
                GlobalLimit full = active.stream().filter(l -> SlotArithmetic.activeAfterDecay(l, now) + 1 > l.limit()).findFirst()
                        .orElse(active.getFirst());
                throw ApiException.locked("Concurrency limit for the " + full.tag() + " tag has been reached", slotWaitSeconds);
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            if (!active.isEmpty()) {
                limits.insertLease(c, new Lease(Ids.v4(), now, now.plus(V1_LEASE_TTL), 1, TASK_RUN, taskRunId,
                        active.stream().map(GlobalLimit::id).toList()));
                active.forEach(l -> out.add(l.toMinimalJson(l.tag())));
            }
            return out;
        });
    }

    /** {@code POST /concurrency_limits/decrement}: the task run's leases on those tags are released; the limits found. */
    public ArrayNode decrement(List<String> tags, UUID taskRunId) {
        Instant now = Times.now();
        return db.write(c -> {
            List<GlobalLimit> named = limits.lockByNames(c, tags.stream().map(t -> GlobalLimit.TAG_PREFIX + t).toList());
            global.releaseHeldBy(c, named, taskRunId, now);
            ArrayNode out = Json.MAPPER.createArrayNode();
            named.forEach(l -> out.add(l.toMinimalJson(l.name())));
            return out;
        });
    }

    private GlobalLimit requireTag(Connection c, String tag) throws SQLException {
        return ApiException.found(limits.byName(c, GlobalLimit.TAG_PREFIX + tag), NOT_FOUND);
    }

    /** Upstream's v1 {@code ConcurrencyLimit}: the tag, its limit and the task runs holding its slots; 404 for none. */
    private ObjectNode tagLimit(Connection c, GlobalLimit limit) throws SQLException {
        ApiException.found(limit, NOT_FOUND);
        ObjectNode j = Json.stored(limit.id(), limit.created(), limit.updated());
        j.put("tag", limit.tag());
        j.put("concurrency_limit", limit.limit());
        ArrayNode holders = j.putArray("active_slots");
        for (Lease lease : limits.leasesOf(c, limit.id())) {
            if (TASK_RUN.equals(lease.holderType()) && lease.holderId() != null) {
                holders.add(lease.holderId().toString());
            }
        }
        return j;
    }
}
