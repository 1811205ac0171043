package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.openprefect.appliance.common.Fernet;
import org.openprefect.appliance.common.Json;
import org.openprefect.appliance.common.Times;
import org.openprefect.appliance.db.Rows;
import org.openprefect.appliance.db.SqlDialect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Block document data encrypted at rest as upstream encrypts it: a Fernet token stored as a JSON
 * string, the key from {@code PREFECT_SERVER_ENCRYPTION_KEY} or else generated once and kept in
 * the {@code configuration} table under {@code ENCRYPTION_KEY}. A database moved between upstream
 * and this server keeps its blocks readable both ways.
 */
public final class BlockDataCipher {
    private static final String KEY_NAME = "ENCRYPTION_KEY";

    private final SqlDialect dialect;
    private final String environmentKey;
    private volatile Fernet stored;

    /** @param environmentKey {@code PREFECT_SERVER_ENCRYPTION_KEY}, or null to use the database's key */
    public BlockDataCipher(SqlDialect dialect, String environmentKey) {
        this.dialect = dialect;
        this.environmentKey = environmentKey == null || environmentKey.isBlank() ? null : environmentKey;
    }

    public JsonNode seal(Connection c, ObjectNode data) throws SQLException {
        return TextNode.valueOf(fernet(c, true).encrypt(data.toString()));
    }

    /** The data of a stored column: a token is decrypted; a plain object (never encrypted) is taken as it is. */
    public ObjectNode open(Connection c, JsonNode column) throws SQLException {
        if (column instanceof ObjectNode plain) {
            return plain;
        }
        try {
            JsonNode data = Json.MAPPER.readTree(new String(fernet(c, false).decrypt(column.asText()), StandardCharsets.UTF_8));
            return data instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SQLException("a block document's data cannot be decrypted with this server's key (PREFECT_SERVER_ENCRYPTION_KEY or the "
                    + "database's ENCRYPTION_KEY): " + e.getMessage(), e);
        }
    }

    private Fernet fernet(Connection c, boolean mayCreate) throws SQLException {
        if (environmentKey != null) {
            return new Fernet(environmentKey);
        }
        Fernet known = stored;
        if (known != null) {
            return known;
        }
        String key = readKey(c);
        if (key != null) {
            stored = new Fernet(key);
            return stored;
        }
        if (!mayCreate) {
            throw new SQLException("the database has no ENCRYPTION_KEY for its encrypted block data; set PREFECT_SERVER_ENCRYPTION_KEY");
        }
        String now = dialect.timestamp(Times.now());
        // Two servers starting on one database may race here: the first insert wins and both read it back.
        Rows.update(c, "INSERT INTO configuration (id, created, updated, key, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                List.of(UUID.randomUUID().toString(), now, now, KEY_NAME, Json.MAPPER.createObjectNode().put("fernet_key", Fernet.generateKey())));
        // Not remembered yet: this transaction may still roll back, and the key with it.
        return new Fernet(readKey(c));
    }

    private static String readKey(Connection c) throws SQLException {
        return Rows.queryOne(c, "SELECT value FROM configuration WHERE key = ?", List.of(KEY_NAME),
                rs -> Rows.json(rs, "value").path("fernet_key").asText(null));
    }
}
