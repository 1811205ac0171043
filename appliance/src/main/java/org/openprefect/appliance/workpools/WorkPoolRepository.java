package org.openprefect.appliance.workpools;

import org.openprefect.appliance.db.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** The SQL of work pools and their queues; today the lookups that flow-run creation needs. */
public final class WorkPoolRepository {
    /** A work queue as a run refers to it. */
    public record WorkQueueRef(UUID id, String name) {
    }

    public boolean workPoolExists(Connection c, String pool) throws SQLException {
        return Rows.count(c, "SELECT count(*) FROM work_pool WHERE name = ?", List.of(pool)) > 0;
    }

    /** The named queue of a pool, or the pool's default queue when {@code queue} is null; null when there is none. */
    public WorkQueueRef workQueue(Connection c, String pool, String queue) throws SQLException {
        return queue == null
                ? Rows.queryOne(c, "SELECT work_queue.id, work_queue.name FROM work_pool JOIN work_queue ON work_queue.id = work_pool.default_queue_id "
                + "WHERE work_pool.name = ?", List.of(pool), rs -> new WorkQueueRef(Rows.uuid(rs, "id"), rs.getString("name")))
                : Rows.queryOne(c, "SELECT work_queue.id, work_queue.name FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id "
                + "WHERE work_pool.name = ? AND work_queue.name = ?", List.of(pool, queue), rs -> new WorkQueueRef(Rows.uuid(rs, "id"), rs.getString("name")));
    }
}
