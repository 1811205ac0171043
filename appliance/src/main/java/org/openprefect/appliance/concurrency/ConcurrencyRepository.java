package org.openprefect.appliance.concurrency;

import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;
import org.openprefect.appliance.orchestration.DeploymentConcurrency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL of global concurrency limits and their leases. Slot counts change only on rows this
 * transaction has locked ({@link #lockByNames}, {@link #lockByIds}: {@code FOR UPDATE} on
 * PostgreSQL, the immediate write transaction on SQLite), locked in id order so two callers
 * never wait on each other in opposite orders.
 */
public final class ConcurrencyRepository {
    private static final String COLUMNS = "id, created, updated, active, name, \"limit\", active_slots, denied_slots, slot_decay_per_second, "
            + "avg_slot_occupancy_seconds";

    private final SqlDialect dialect;

    public ConcurrencyRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    // ---- limits --------------------------------------------------------------------------------

    /** False when the name is taken. */
    public boolean insert(Connection c, UUID id, String name, int limit, boolean active, int activeSlots, int deniedSlots,
                          double slotDecayPerSecond) throws SQLException {
        String now = dialect.timestamp(Times.now());
        return Rows.update(c, "INSERT INTO concurrency_limit_v2 (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 2.0) "
                + "ON CONFLICT (name) DO NOTHING", Arrays.asList(id.toString(), now, now, active, name, limit, activeSlots, deniedSlots,
                slotDecayPerSecond)) > 0;
    }

    public GlobalLimit byId(Connection c, UUID id) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 WHERE id = ?", List.of(id.toString()), this::limit);
    }

    public GlobalLimit byName(Connection c, String name) throws SQLException {
        return Rows.queryOne(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 WHERE name = ?", List.of(name), this::limit);
    }

    /** Limits by name; {@code namePrefix} null for all. */
    public List<GlobalLimit> list(Connection c, String namePrefix, int limit, int offset) throws SQLException {
        return namePrefix == null
                ? Rows.query(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 ORDER BY name LIMIT ? OFFSET ?", List.of(limit, offset),
                this::limit)
                : Rows.query(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 WHERE name LIKE ? ORDER BY name LIMIT ? OFFSET ?",
                List.of(namePrefix + "%", limit, offset), this::limit);
    }

    /** The named limits that exist, locked for this transaction. */
    public List<GlobalLimit> lockByNames(Connection c, Collection<String> names) throws SQLException {
        if (names.isEmpty()) {
            return List.of();
        }
        return Rows.query(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 WHERE name IN (" + marks(names.size()) + ") ORDER BY id"
                + dialect.forUpdate(), new ArrayList<>(names), this::limit);
    }

    public List<GlobalLimit> lockByIds(Connection c, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return Rows.query(c, "SELECT " + COLUMNS + " FROM concurrency_limit_v2 WHERE id IN (" + marks(ids.size()) + ") ORDER BY id"
                + dialect.forUpdate(), ids.stream().map(UUID::toString).toList(), this::limit);
    }

    /** The fields given (column names as in the table, {@code "limit"} quoted); false when there is no such limit. */
    public boolean update(Connection c, UUID id, Map<String, ?> columns) throws SQLException {
        return Rows.updateColumns(c, "concurrency_limit_v2", columns, dialect.timestamp(Times.now()), "id = ?", List.of(id.toString())) > 0;
    }

    /** The new slot counts of a locked limit, stamped {@code at}: the decay clock restarts there, as upstream's does. */
    public void setSlots(Connection c, UUID id, int activeSlots, int deniedSlots, double avgSlotOccupancySeconds, Instant at) throws SQLException {
        Rows.update(c, "UPDATE concurrency_limit_v2 SET active_slots = ?, denied_slots = ?, avg_slot_occupancy_seconds = ?, updated = ? "
                + "WHERE id = ?", List.of(activeSlots, deniedSlots, avgSlotOccupancySeconds, dialect.timestamp(at), id.toString()));
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM concurrency_limit_v2 WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** A deployment's limit with its collision strategy (ENQUEUE unless its concurrency_options say otherwise); null when it has none. */
    public DeploymentConcurrency.Limit deploymentLimit(Connection c, UUID deploymentId) throws SQLException {
        return Rows.queryOne(c, "SELECT deployment.concurrency_limit_id, deployment.concurrency_options, l.\"limit\", l.active "
                        + "FROM deployment JOIN concurrency_limit_v2 l ON l.id = deployment.concurrency_limit_id WHERE deployment.id = ?",
                List.of(deploymentId.toString()), rs -> rs.getBoolean("active")
                        ? new DeploymentConcurrency.Limit(Rows.uuid(rs, "concurrency_limit_id"), rs.getInt("limit"),
                        Rows.json(rs, "concurrency_options").path("collision_strategy").asText("ENQUEUE"))
                        : null);
    }

    // ---- leases --------------------------------------------------------------------------------

    public void insertLease(Connection c, Lease lease) throws SQLException {
        Rows.update(c, "INSERT INTO concurrency_lease (id, created, expires, slots, holder_type, holder_id) VALUES (?, ?, ?, ?, ?, ?)",
                Arrays.asList(lease.id().toString(), dialect.timestamp(lease.created()), dialect.timestamp(lease.expires()), lease.slots(),
                        lease.holderType(), Rows.text(lease.holderId())));
        for (UUID limitId : lease.limitIds()) {
            Rows.update(c, "INSERT INTO concurrency_lease_limit (lease_id, limit_id) VALUES (?, ?)",
                    List.of(lease.id().toString(), limitId.toString()));
        }
    }

    public Lease lease(Connection c, UUID id) throws SQLException {
        Lease lease = Rows.queryOne(c, "SELECT * FROM concurrency_lease WHERE id = ?", List.of(id.toString()), this::lease);
        return lease == null ? null : withLimits(c, lease);
    }

    /** Deletes the lease; true only for the one caller that did, so its slots are freed once. */
    public boolean deleteLease(Connection c, UUID id) throws SQLException {
        return Rows.update(c, "DELETE FROM concurrency_lease WHERE id = ?", List.of(id.toString())) > 0;
    }

    /** Moves the expiry of a lease that has not expired; false when it is gone or expired. */
    public boolean renewLease(Connection c, UUID id, Instant expires, Instant now) throws SQLException {
        return Rows.update(c, "UPDATE concurrency_lease SET expires = ? WHERE id = ? AND expires > ?",
                List.of(dialect.timestamp(expires), id.toString(), dialect.timestamp(now))) > 0;
    }

    public List<UUID> expiredLeaseIds(Connection c, Instant now, int limit) throws SQLException {
        return Rows.query(c, "SELECT id FROM concurrency_lease WHERE expires <= ? ORDER BY expires LIMIT ?",
                List.of(dialect.timestamp(now), limit), rs -> Rows.uuid(rs, "id"));
    }

    /** The leases that hold slots of a limit, oldest first. */
    public List<Lease> leasesOf(Connection c, UUID limitId) throws SQLException {
        List<Lease> leases = new ArrayList<>();
        for (Lease lease : Rows.query(c, "SELECT concurrency_lease.* FROM concurrency_lease JOIN concurrency_lease_limit "
                + "ON concurrency_lease_limit.lease_id = concurrency_lease.id WHERE concurrency_lease_limit.limit_id = ? "
                + "ORDER BY concurrency_lease.created, concurrency_lease.id", List.of(limitId.toString()), this::lease)) {
            leases.add(withLimits(c, lease));
        }
        return leases;
    }

    private Lease withLimits(Connection c, Lease lease) throws SQLException {
        List<UUID> limits = Rows.query(c, "SELECT limit_id FROM concurrency_lease_limit WHERE lease_id = ? ORDER BY limit_id",
                List.of(lease.id().toString()), rs -> Rows.uuid(rs, "limit_id"));
        return new Lease(lease.id(), lease.created(), lease.expires(), lease.slots(), lease.holderType(), lease.holderId(), limits);
    }

    // ---- rows ----------------------------------------------------------------------------------

    private GlobalLimit limit(ResultSet rs) throws SQLException {
        return new GlobalLimit(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "updated"),
                rs.getBoolean("active"), rs.getString("name"), rs.getInt("limit"), rs.getInt("active_slots"), rs.getInt("denied_slots"),
                rs.getDouble("slot_decay_per_second"), rs.getDouble("avg_slot_occupancy_seconds"));
    }

    private Lease lease(ResultSet rs) throws SQLException {
        return new Lease(Rows.uuid(rs, "id"), dialect.readTimestamp(rs, "created"), dialect.readTimestamp(rs, "expires"), rs.getInt("slots"),
                rs.getString("holder_type"), Rows.uuid(rs, "holder_id"), List.of());
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
