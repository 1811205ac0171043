package org.openprefect.appliance.services;

import org.openprefect.appliance.db.Database;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * Leadership of one loop through a PostgreSQL session-level advisory lock, held on a connection of
 * its own for as long as this server leads. PostgreSQL frees the lock when that session ends, so a
 * server that crashes or loses its connection hands the loop over without anyone cleaning up.
 */
final class AdvisoryLockLeadership implements Leadership {
    private static final Logger LOG = Logger.getLogger(AdvisoryLockLeadership.class.getName());
    /** The first key of every lock of ours ("OPRF"), so that they cannot collide with other users of advisory locks. */
    static final int NAMESPACE = 0x4F505246;

    private final Database db;
    private final String loop;
    private final int key;
    /** The session that holds the lock, or that a standby retries on. */
    private Connection session;
    private boolean held;

    AdvisoryLockLeadership(Database db, String loop) {
        this.db = db;
        this.loop = loop;
        this.key = keyOf(loop);
    }

    static int keyOf(String loop) {
        CRC32 crc = new CRC32();
        crc.update(loop.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Override
    public synchronized boolean holds() {
        try {
            if (session == null || !session.isValid(5)) {
                dropSession(); // a lost session has lost its lock too
                session = db.openDedicatedConnection();
                session.setAutoCommit(true);
            }
            if (!held && tryLock(session)) {
                held = true;
                LOG.info("Background service " + loop + ": this server now runs it (PostgreSQL advisory lock "
                        + NAMESPACE + "/" + key + ").");
            }
            return held;
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Background service " + loop + ": cannot reach PostgreSQL for its lock; standing by.", e);
            dropSession();
            return false;
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            s.setInt(1, NAMESPACE);
            s.setInt(2, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void dropSession() {
        if (session == null) {
            return;
        }
        try {
            session.close(); // ending the session frees the lock
        } catch (SQLException ignored) {
            // The session is gone already, and its lock with it.
        }
        session = null;
        held = false;
    }

    @Override
    public synchronized void close() {
        dropSession();
    }
}
