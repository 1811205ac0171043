package org.openprefect.appliance.concurrency;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Ids;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Database;
import org.openprefect.appliance.filters.Paging;
import org.openprefect.appliance.http.ApiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Global concurrency limits and their leases, as plain methods (upstream's
 * api/concurrency_limits_v2.py). Taking slots is all-or-nothing across the named limits, under
 * their row locks; a lease and its slots are freed by exactly one caller (whoever deletes the
 * lease row), whether that is its holder, a reset or the repossessor.
 */
public final class ConcurrencyLimitService {
    static final String NOT_FOUND = "Concurrency Limit not found";
    static final String DEPLOYMENT_PREFIX = "deployment:";

    private final Database db;
    private final ConcurrencyRepository limits;
    private final int defaultLimit;

    public ConcurrencyLimitService(Database db, int defaultLimit) {
        this.db = db;
        this.limits = new ConcurrencyRepository(db.dialect());
        this.defaultLimit = defaultLimit;
    }

    /** A lease holder as the client names it ({@code {"type": "task_run", "id": ...}}). */
    public record Holder(String type, UUID id) {
        static Holder of(JsonNode holder) {
            return holder == null || !holder.isObject() ? null : new Holder(holder.get("type").asText(), UUID.fromString(holder.get("id").asText()));
        }
    }

    /** What a grant answers: the limits named (inactive ones too, as upstream lists them) and the lease, if one was asked for. */
    public record Granted(List<GlobalLimit> limits, UUID leaseId) {
    }

    // ---- limits --------------------------------------------------------------------------------

    public GlobalLimit create(JsonNode body) {
        return db.write(c -> {
            UUID id = Ids.v4();
            if (!limits.insert(c, id, body.get("name").asText(), body.get("limit").asInt(), body.path("active").asBoolean(true),
                    body.path("active_slots").asInt(0), body.path("denied_slots").asInt(0), body.path("slot_decay_per_second").asDouble(0))) {
                throw ApiException.integrityConflict();
            }
            return limits.byId(c, id);
        });
    }

    /** By id when the text is one, else by name, as upstream reads {@code {id_or_name}}. */
    public GlobalLimit read(String idOrName) {
        return ApiException.found(db.read(c -> find(c, idOrName)), NOT_FOUND);
    }

    public List<GlobalLimit> list(JsonNode body) {
        Paging paging = Paging.of(body, defaultLimit);
        return db.read(c -> limits.list(c, null, paging.limit(), paging.offset()));
    }

    public void update(String idOrName, JsonNode body) {
        db.write(c -> {
            GlobalLimit limit = ApiException.found(find(c, idOrName), NOT_FOUND);
            Map<String, Object> columns = new LinkedHashMap<>();
            for (String field : List.of("active", "name", "limit", "active_slots", "denied_slots", "slot_decay_per_second")) {
                if (body.hasNonNull(field)) {
                    JsonNode value = body.get(field);
                    columns.put(field.equals("limit") ? "\"limit\"" : field,
                            value.isBoolean() ? value.asBoolean() : value.isIntegralNumber() && !field.equals("slot_decay_per_second")
                                    ? (Object) value.asInt() : value.isNumber() ? (Object) value.asDouble() : value.asText());
                }
            }
            if (!columns.isEmpty()) {
                limits.update(c, limit.id(), columns);
            }
            return null;
        });
    }

    public void delete(String idOrName) {
        db.write(c -> {
            GlobalLimit limit = ApiException.found(find(c, idOrName), NOT_FOUND);
            limits.delete(c, limit.id());
            return null;
        });
    }

    /**
     * Upstream's _create_or_update_deployment_concurrency_limit, in the caller's transaction: a
     * deployment's {@code concurrency_limit} is the global limit {@code deployment:<id>}, made,
     * changed or (for null) deleted; returns the limit's id for the deployment to keep, or null.
     */
    public UUID syncDeploymentLimit(Connection c, UUID deploymentId, UUID currentLimitId, Integer limit) throws SQLException {
        GlobalLimit current = currentLimitId == null ? limits.byName(c, DEPLOYMENT_PREFIX + deploymentId) : limits.byId(c, currentLimitId);
        if (limit == null) {
            if (current != null && current.name().equals(DEPLOYMENT_PREFIX + deploymentId)) {
                limits.delete(c, current.id());
            }
            return null;
        }
        if (current != null) {
            if (current.limit() != limit) {
                limits.update(c, current.id(), Map.of("\"limit\"", limit));
            }
            return current.id();
        }
        UUID id = Ids.v4();
        limits.insert(c, id, DEPLOYMENT_PREFIX + deploymentId, limit, true, 0, 0, 0.0);
        return id;
    }

    /** A deployment's own limit goes with it (upstream's _delete_related_concurrency_limit); a shared one it only pointed at stays. */
    public void deleteDeploymentLimit(Connection c, UUID deploymentId) throws SQLException {
        GlobalLimit own = limits.byName(c, DEPLOYMENT_PREFIX + deploymentId);
        if (own != null) {
            limits.delete(c, own.id());
        }
    }

    /** Whether a limit of that id exists, for a deployment's {@code global_concurrency_limit_id}. */
    public boolean exists(Connection c, UUID limitId) throws SQLException {
        return limits.byId(c, limitId) != null;
    }

    private GlobalLimit find(Connection c, String idOrName) throws SQLException {
        UUID id = Ids.parseOrNull(idOrName);
        return id != null ? limits.byId(c, id) : limits.byName(c, idOrName);
    }

    // ---- slots ---------------------------------------------------------------------------------

    /**
     * {@code POST /v2/concurrency_limits/increment} (no lease) and {@code increment-with-lease}: all
     * the active named limits take {@code slots}, or none does and the caller gets 423 with
     * upstream's Retry-After.
     */
    public Granted increment(List<String> names, int slots, String mode, Duration leaseDuration, Holder holder) {
        Instant now = Times.now();
        Granted granted = db.write(c -> {
            List<GlobalLimit> named = limits.lockByNames(c, names);
            List<GlobalLimit> active = named.stream().filter(GlobalLimit::active).toList();
            if (active.stream().anyMatch(l -> l.limit() < slots)) {
                throw ApiException.detail(422, "Slots requested is greater than the limit");
            }
            List<String> notDecaying = active.stream().filter(l -> l.slotDecayPerSecond() == 0.0).map(GlobalLimit::name).toList();
            if (mode.equals("rate_limit") && !notDecaying.isEmpty()) {
                throw ApiException.detail(422, "Only concurrency limits with slot decay can be used for rate limiting. The following limits "
                        + "do not have a decay configured: '" + String.join(",", notDecaying) + "'");
            }
            if (!take(c, active, slots, now)) {
                return null;
            }
            UUID leaseId = null;
            if (leaseDuration != null) {
                leaseId = Ids.v4();
                limits.insertLease(c, new Lease(leaseId, now, now.plus(leaseDuration), slots, holder == null ? null : holder.type(),
                        holder == null ? null : holder.id(), named.stream().map(GlobalLimit::id).toList()));
            }
            return new Granted(named, leaseId);
        });
        if (granted == null) {
            throw refused(names, slots, now);
        }
        return granted;
    }

    /** Takes the slots on every limit or on none; the limits are locked by the caller. */
    boolean take(Connection c, List<GlobalLimit> active, int slots, Instant now) throws SQLException {
        if (active.stream().anyMatch(l -> SlotArithmetic.activeAfterDecay(l, now) + slots > l.limit())) {
            return false;
        }
        for (GlobalLimit l : active) {
            limits.setSlots(c, l.id(), SlotArithmetic.activeAfterDecay(l, now) + slots, SlotArithmetic.deniedAfterDecay(l, now),
                    l.avgSlotOccupancySeconds(), now);
        }
        return true;
    }

    /** Records the refusal on the limits (their denied slots) and words the 423, in a transaction of its own as upstream does. */
    private ApiException refused(List<String> names, int slots, Instant now) {
        double retryAfter = db.write(c -> {
            List<GlobalLimit> active = limits.lockByNames(c, names).stream().filter(GlobalLimit::active).toList();
            GlobalLimit blocking = null;
            for (GlobalLimit l : active) {
                limits.setSlots(c, l.id(), l.activeSlots(), SlotArithmetic.deniedAfterDecay(l, now) + slots, l.avgSlotOccupancySeconds(), now);
                if (blocking == null || SlotArithmetic.blockingSlots(l, slots) > SlotArithmetic.blockingSlots(blocking, slots)) {
                    blocking = l;
                }
            }
            return blocking == null ? 0.0 : SlotArithmetic.retryAfterSeconds(blocking, slots);
        });
        return ApiException.locked("Locked", retryAfter);
    }

    /** {@code POST /v2/concurrency_limits/decrement}: frees slots on the active named limits that exist; the limits found. */
    public List<GlobalLimit> decrement(List<String> names, int slots, Double occupancySeconds) {
        Instant now = Times.now();
        return db.write(c -> {
            List<GlobalLimit> named = limits.lockByNames(c, names);
            release(c, named, slots, occupancySeconds, now);
            return named;
        });
    }

    /** Frees slots on the active ones of these locked limits, learning the occupancy when it is known. */
    void release(Connection c, List<GlobalLimit> locked, int slots, Double occupancySeconds, Instant now) throws SQLException {
        for (GlobalLimit l : locked) {
            if (!l.active()) {
                continue;
            }
            double average = occupancySeconds != null && occupancySeconds > 0 && slots > 0
                    ? SlotArithmetic.averageOccupancy(l, slots, occupancySeconds) : l.avgSlotOccupancySeconds();
            limits.setSlots(c, l.id(), Math.max(0, SlotArithmetic.activeAfterDecay(l, now) - slots), SlotArithmetic.deniedAfterDecay(l, now),
                    average, now);
        }
    }

    // ---- leases --------------------------------------------------------------------------------

    /** {@code decrement-with-lease}, the repossessor and resets: frees the lease's slots and deletes it, once. */
    public void releaseLease(UUID leaseId) {
        Instant now = Times.now();
        db.write(c -> releaseLease(c, leaseId, now));
    }

    boolean releaseLease(Connection c, UUID leaseId, Instant now) throws SQLException {
        Lease lease = limits.lease(c, leaseId);
        if (lease == null || !limits.deleteLease(c, leaseId)) {
            return false;
        }
        release(c, limits.lockByIds(c, lease.limitIds()), lease.slots(), Times.seconds(lease.created(), now), now);
        return true;
    }

    /** Frees every lease the holder has on these locked limits: a task run's tag slots, by its id. */
    void releaseHeldBy(Connection c, List<GlobalLimit> locked, UUID holderId, Instant now) throws SQLException {
        for (GlobalLimit l : locked) {
            for (Lease lease : limits.leasesOf(c, l.id())) {
                if (holderId.equals(lease.holderId())) {
                    releaseLease(c, lease.id(), now);
                }
            }
        }
    }

    /** {@code POST /v2/concurrency_limits/leases/{id}/renew}: 410 once the lease expired or was released. */
    public void renewLease(UUID leaseId, Duration duration) {
        Instant now = Times.now();
        if (!db.write(c -> limits.renewLease(c, leaseId, now.plus(duration), now))) {
            throw ApiException.detail(410, "Lease not found - it may have expired or been revoked");
        }
    }

    /** The repossessor's pass: every expired lease is released; how many. */
    public int releaseExpiredLeases() {
        Instant now = Times.now();
        List<UUID> expired = db.read(c -> limits.expiredLeaseIds(c, now, 1000));
        int released = 0;
        for (UUID id : expired) {
            if (db.write(c -> releaseLease(c, id, now))) {
                released++;
            }
        }
        return released;
    }

    Database db() {
        return db;
    }

    ConcurrencyRepository repository() {
        return limits;
    }
}
