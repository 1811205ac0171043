package org.openprefect.it.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.CliResult;
import org.openprefect.it.support.Prefect;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;

import java.nio.file.Files;
import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PREFECT_SERVER_ENCRYPTION_KEY}: the key block data is encrypted with instead of the database's own; a malformed one stops the start. */
class BlockEncryptionKeyTest {
    @Test
    void aMalformedKeyStopsTheStartWithAClearMessage() throws Exception {
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-badkey-")).env("PREFECT_SERVER_ENCRYPTION_KEY", "not-a-key");
        CliResult result = prefect.run("server", "start", "--port=" + Prefect.freePort());
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("PREFECT_SERVER_ENCRYPTION_KEY is not a Fernet key"), result.toString());
    }

    @Test
    void blockDataIsEncryptedWithTheEnvironmentsKey() throws Exception {
        String key = "k7t6v1fYmEcZHe9pdR8bongj3oWwEiny7o5oeR-8438=";
        Prefect prefect = new Prefect(Files.createTempDirectory("openprefect-envkey-")).env("PREFECT_SERVER_ENCRYPTION_KEY", key);
        try (RunningServer server = RunningServer.start(prefect)) {
            Api api = new Api(server.api(""));
            JsonNode type = api.get("/block_types/slug/secret", 200);
            JsonNode schema = api.post("/block_schemas/filter", "{\"block_schemas\": {\"block_type_id\": {\"any_\": [\"" + type.get("id").asText()
                    + "\"]}}, \"limit\": 1}", 200).get(0);
            String id = api.post("/block_documents/", "{\"name\": \"env-key\", \"data\": {\"value\": \"by-env\"}, \"block_schema_id\": \""
                    + schema.get("id").asText() + "\", \"block_type_id\": \"" + type.get("id").asText() + "\"}", 201).get("id").asText();
            String token;
            try (Connection c = Sql.sqlite(prefect.home().resolve("prefect.db"))) {
                assertNull(Sql.scalar(c, "SELECT value FROM configuration WHERE key = 'ENCRYPTION_KEY'"), "no key stored when the environment has one");
                token = Api.JSON.readTree(Sql.scalar(c, "SELECT data FROM block_document WHERE id = '" + id + "'")).asText();
            }
            JsonNode python = PythonClient.withCryptography().runScript("fernet_interop.py", key, token, "{}");
            assertEquals("{\"value\":\"by-env\"}", python.get("decrypted").toString());
        }
    }
}
