package org.openprefect.it.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.Api;
import org.openprefect.it.support.Http;
import org.openprefect.it.support.PythonClient;
import org.openprefect.it.support.RunningServer;
import org.openprefect.it.support.Sql;
import org.openprefect.it.support.TraceReplay;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openprefect.it.support.OpenApiContract.assertResponse;

/**
 * Blocks, variables, artifacts and saved searches as the 3.4 SDK, CLI and UI use them
 * (traces/blocks-variables-artifacts.jsonl): system block types on a fresh database, schema
 * checksums as the client computes them, secrets masked unless asked for, nested blocks by
 * reference and inline, variables' rules, the latest artifact per key. One subclass per database,
 * each with a server and database of its own (the recorded names are replayed as they are).
 */
abstract class BlocksContract {
    private static final String SECRET_CHECKSUM = "sha256:f290d6bec2665ff8179b4b88a1ba1942bc93b228504da8b65ce66e8aa70d6159";
    private static final String JSON_CHECKSUM = "sha256:0f01d400eb1ebd964d491132cda72e6a6d843f8ce940397b3dba7be219852106";
    private static final List<String> DOCUMENT_FIELDS = List.of("id", "created", "updated", "name", "data", "block_schema_id", "block_schema",
            "block_type_id", "block_type_name", "block_type", "block_document_references", "is_anonymous");

    abstract RunningServer server() throws Exception;

    /** A connection to the server's database, to see what is stored. */
    abstract Connection database() throws Exception;

    private Api api() throws Exception {
        return new Api(server().api(""));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The whole recorded exchange, SDK, CLI and engine requests in their order, gets upstream's statuses and fields. */
    @Test
    void theRecordedExchangeGetsUpstreamsAnswers() throws Exception {
        TraceReplay replay = new TraceReplay(server().api(""));
        assertEquals(List.of(), replay.replay("/traces/blocks-variables-artifacts-http.jsonl"));
        Api api = api();
        JsonNode main = api.get("/block_types/slug/ref-endpoint/block_documents/name/ref-endpoint-main?include_secrets=true", 200);
        assertEquals("tok-123", main.at("/data/credentials/token").asText(), "the referenced credentials load with their secret");
        assertEquals(404, api.get("/block_types/slug/ref-endpoint/block_documents/name/ref-endpoint-inline").status(), "deleted by the CLI");
        assertEquals(404, api.get("/variables/name/ref_region").status(), "unset by the CLI");
        JsonNode matrix = api.post("/artifacts/filter", "{\"artifacts\": {\"key\": {\"any_\": [\"ref-matrix\"]}}}", 200);
        assertEquals(0, matrix.size(), "ref-matrix deleted by the CLI");
        assertEquals(404, api.get("/artifacts/ref-matrix/latest").status(), "a key whose artifacts are all gone has no latest");
        JsonNode progress = api.get("/artifacts/ref-progress/latest", 200);
        assertEquals(100.0, progress.get("data").asDouble(), "progress updates reach the key's latest");
    }

    @Test
    void aFreshDatabaseHasUpstreamsSystemBlockTypesAndSchemas() throws Exception {
        Api api = api();
        JsonNode types = api.post("/block_types/filter", "{}", 200);
        assertResponse("POST", "/block_types/filter", 200, types);
        List<String> slugs = new ArrayList<>();
        types.forEach(t -> slugs.add(t.get("slug").asText()));
        for (String slug : List.of("secret", "json", "string", "date-time", "local-file-system", "webhook", "aws-credentials", "slack-webhook")) {
            assertTrue(slugs.contains(slug), slug + " is registered at start: " + slugs);
        }
        JsonNode secret = api.get("/block_types/slug/secret", 200);
        assertTrue(secret.get("is_protected").asBoolean());
        JsonNode schema = api.get("/block_schemas/checksum/" + SECRET_CHECKSUM + "?version=3.4.25", 200);
        assertResponse("GET", "/block_schemas/checksum/{checksum}", 200, schema);
        assertEquals(secret.get("id"), schema.get("block_type_id"));
        assertEquals("[\"value\",\"value\"]", schema.at("/fields/secret_fields").toString());
        assertEquals(200, api.get("/block_schemas/checksum/" + JSON_CHECKSUM).status(), "any version when none is asked for");
        assertEquals(404, api.get("/block_schemas/checksum/" + JSON_CHECKSUM + "?version=3.0.0").status());

        assertEquals(200, api.post("/block_types/install_system_block_types", "").status());
        assertEquals(types.size(), api.post("/block_types/filter", "{}", 200).size(), "installing again adds nothing");
        assertEquals(secret.get("id"), api.get("/block_types/slug/secret", 200).get("id"), "and keeps the ids");
        JsonNode protectedDelete = api.delete("/block_types/" + secret.get("id").asText()).body();
        assertEquals("{\"detail\":\"protected block types cannot be deleted.\"}", protectedDelete.toString());
        assertEquals(403, api.delete("/block_schemas/" + schema.get("id").asText()).status());
        JsonNode withSchemas = api.post("/block_types/filter", "{\"block_schemas\": {\"block_type_id\": {\"any_\": [\"" + secret.get("id").asText()
                + "\"]}}}", 200);
        assertEquals(1, withSchemas.size());
        assertEquals("[\"secret\"]", slugsOf(api.post("/block_types/filter", "{\"block_types\": {\"slug\": {\"any_\": [\"secret\"]}}}", 200)));
    }

    @Test
    void aSecretIsMaskedUnlessAskedForAndSurvivesItsMaskPostedBack() throws Exception {
        Api api = api();
        String name = unique("secret");
        JsonNode type = api.get("/block_types/slug/secret", 200);
        JsonNode schema = api.get("/block_schemas/checksum/" + SECRET_CHECKSUM + "?version=3.4.25", 200);
        String body = "{\"name\": \"" + name + "\", \"data\": {\"value\": \"s3cr3t-one\"}, \"block_schema_id\": \"" + schema.get("id").asText()
                + "\", \"block_type_id\": \"" + type.get("id").asText() + "\", \"is_anonymous\": false}";
        JsonNode created = api.post("/block_documents/", body, 201);
        assertResponse("POST", "/block_documents/", 201, created);
        assertEquals(DOCUMENT_FIELDS, fields(created));
        assertEquals("{\"value\":\"********\"}", created.get("data").toString(), "the create answer masks the secret");
        Api.Reply again = api.post("/block_documents/", body);
        assertEquals(409, again.status());
        assertEquals("{\"detail\":\"Block already exists\"}", again.raw());

        String id = created.get("id").asText();
        assertEquals("{\"value\":\"********\"}", api.get("/block_documents/" + id, 200).get("data").toString());
        assertEquals("{\"value\":\"s3cr3t-one\"}", api.get("/block_documents/" + id + "?include_secrets=true", 200).get("data").toString());
        assertEquals("s3cr3t-one", api.get("/block_types/slug/secret/block_documents/name/" + name + "?include_secrets=true", 200)
                .at("/data/value").asText());
        assertEquals(422, api.get("/block_documents/" + id + "?include_secrets=maybe").status());

        assertEquals(204, api.patch("/block_documents/" + id, "{\"data\": {\"value\": \"********\"}}").status());
        assertEquals("s3cr3t-one", api.get("/block_documents/" + id + "?include_secrets=true", 200).at("/data/value").asText(),
                "posting the mask back keeps the secret");
        assertEquals(204, api.patch("/block_documents/" + id, "{\"block_schema_id\": \"" + schema.get("id").asText()
                + "\", \"data\": {\"value\": \"s3cr3t-two\"}}").status());
        assertEquals("s3cr3t-two", api.get("/block_documents/" + id + "?include_secrets=true", 200).at("/data/value").asText());

        JsonNode listed = api.post("/block_documents/filter", "{\"block_documents\": {\"name\": {\"any_\": [\"" + name + "\"]}}}", 200);
        assertResponse("POST", "/block_documents/filter", 200, listed);
        assertEquals("********", listed.at("/0/data/value").asText());
        assertEquals("s3cr3t-two", api.post("/block_documents/filter", "{\"include_secrets\": true, \"block_documents\": {\"name\": {\"any_\": [\""
                + name + "\"]}}}", 200).at("/0/data/value").asText());
        assertEquals(1, api.post("/block_documents/count", "{\"block_documents\": {\"name\": {\"any_\": [\"" + name + "\"]}}}", 200).asInt());

        assertEquals(204, api.delete("/block_documents/" + id).status());
        assertEquals("{\"detail\":\"Block document not found\"}", api.get("/block_documents/" + id).raw());
        assertEquals(404, api.delete("/block_documents/" + id).status());
    }

    /** A custom type holding another block: the schema registers its nested schema, documents reference or inline the nested block. */
    @Test
    void aNestedBlockRegistersSavesAndLoadsByReferenceAndInline() throws Exception {
        Api api = api();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode credentialsType = api.post("/block_types/", "{\"name\": \"Creds " + suffix + "\", \"slug\": \"creds-" + suffix
                + "\", \"description\": \"test\"}", 201);
        assertResponse("POST", "/block_types/", 201, credentialsType);
        assertEquals(409, api.post("/block_types/", "{\"name\": \"Creds " + suffix + "\", \"slug\": \"creds-" + suffix + "\"}").status());
        assertEquals("{\"detail\":\"Block type names beginning with 'Prefect' are reserved.\"}",
                api.post("/block_types/", "{\"name\": \"Prefect Thing\", \"slug\": \"prefect-thing-" + suffix + "\"}").raw());
        JsonNode endpointType = api.post("/block_types/", "{\"name\": \"Endpoint " + suffix + "\", \"slug\": \"endpoint-" + suffix + "\"}", 201);

        ObjectNode credentialsFields = (ObjectNode) Api.JSON.readTree("{\"block_schema_references\": {}, \"block_type_slug\": \"creds-" + suffix
                + "\", \"properties\": {\"username\": {\"title\": \"Username\", \"type\": \"string\"}, \"token\": {\"format\": \"password\", "
                + "\"title\": \"Token\", \"type\": \"string\", \"writeOnly\": true}}, \"required\": [\"username\", \"token\"], "
                + "\"secret_fields\": [\"token\"], \"title\": \"Creds" + suffix + "\", \"type\": \"object\"}");
        ObjectNode endpointFields = (ObjectNode) Api.JSON.readTree("{\"block_type_slug\": \"endpoint-" + suffix + "\", \"properties\": {"
                + "\"url\": {\"title\": \"Url\", \"type\": \"string\"}, \"timeout_s\": {\"default\": 5.0, \"title\": \"Timeout S\", \"type\": \"number\"}, "
                + "\"credentials\": {\"$ref\": \"#/definitions/Creds" + suffix + "\"}}, \"required\": [\"url\", \"credentials\"], "
                + "\"secret_fields\": [\"credentials.token\"], \"title\": \"Endpoint\", \"type\": \"object\"}");
        endpointFields.putObject("block_schema_references").putObject("credentials").put("block_schema_checksum", "sha256:to-be-found")
                .put("block_type_slug", "creds-" + suffix);
        endpointFields.putObject("definitions").set("Creds" + suffix, credentialsFields);

        // Registering the parent first creates the nested schema from its definitions; its checksum is what the client computes for it.
        JsonNode endpointSchema = api.post("/block_schemas/", schemaBody(endpointFields, endpointType).toString(), 201);
        assertResponse("POST", "/block_schemas/", 201, endpointSchema);
        String childChecksum = endpointSchema.at("/fields/block_schema_references/credentials/block_schema_checksum").asText();
        assertEquals("creds-" + suffix, endpointSchema.at("/fields/block_schema_references/credentials/block_type_slug").asText());
        JsonNode credentialsSchema = api.get("/block_schemas/checksum/" + childChecksum, 200);
        assertEquals(credentialsType.get("id"), credentialsSchema.get("block_type_id"));
        assertEquals(credentialsFields.get("properties"), endpointSchema.at("/fields/definitions/Creds" + suffix + "/properties"),
                "the nested block's definition is rebuilt on read");
        assertEquals(200, api.post("/block_schemas/", schemaBody(endpointFields, endpointType).toString()).status(),
                "the same schema again: the stored one");
        assertEquals(endpointSchema.get("id"), api.post("/block_schemas/filter", "{\"block_schemas\": {\"block_type_id\": {\"any_\": [\""
                + endpointType.get("id").asText() + "\"]}}, \"limit\": 1}", 200).at("/0/id"));
        ObjectNode capable = schemaBody(endpointFields, endpointType, "read-path-" + suffix);
        JsonNode capableSchema = api.post("/block_schemas/", capable.toString(), 201);
        assertEquals(endpointSchema.get("checksum"), capableSchema.get("checksum"), "capabilities are not part of the checksum");
        assertTrue(api.get("/block_capabilities/", 200).toString().contains("\"read-path-" + suffix + "\""));
        String byCapability = "{\"block_schemas\": {\"block_capabilities\": {\"all_\": [\"read-path-" + suffix + "\"]}}}";
        assertEquals(1, api.post("/block_schemas/filter", byCapability, 200).size());
        assertEquals("[\"endpoint-" + suffix + "\"]", slugsOf(api.post("/block_types/filter", byCapability, 200)), "the UI's catalogue filter");

        JsonNode credentials = api.post("/block_documents/", documentBody("creds-" + suffix, "{\"username\": \"svc\", \"token\": \"tok-1\"}",
                credentialsSchema, credentialsType), 201);
        JsonNode byReference = api.post("/block_documents/", documentBody("main-" + suffix, "{\"url\": \"https://a\", \"timeout_s\": 2.5, "
                + "\"credentials\": {\"$ref\": {\"block_document_id\": \"" + credentials.get("id").asText() + "\"}}}", endpointSchema, endpointType), 201);
        assertEquals("{\"username\":\"svc\",\"token\":\"********\"}", byReference.at("/data/credentials").toString());
        assertEquals(credentials.get("id"), byReference.at("/block_document_references/credentials/block_document/id"));
        assertEquals("creds-" + suffix, byReference.at("/block_document_references/credentials/block_document/block_type/slug").asText());
        JsonNode loaded = api.get("/block_types/slug/endpoint-" + suffix + "/block_documents/name/main-" + suffix + "?include_secrets=true", 200);
        assertEquals("{\"url\":\"https://a\",\"timeout_s\":2.5,\"credentials\":{\"username\":\"svc\",\"token\":\"tok-1\"}}", loaded.get("data").toString());

        JsonNode inline = api.post("/block_documents/", documentBody("inline-" + suffix, "{\"url\": \"https://b\", \"credentials\": "
                + "{\"username\": \"in\", \"token\": \"tok-in\", \"block_type_slug\": \"creds-" + suffix + "\"}}", endpointSchema, endpointType), 201);
        assertEquals("********", inline.at("/data/credentials/token").asText(), "the parent's secret_fields mask inline data");
        assertEquals("{}", inline.get("block_document_references").toString());
        assertEquals(2, api.get("/block_types/slug/endpoint-" + suffix + "/block_documents", 200).size());
        assertEquals(204, api.patch("/block_documents/" + inline.get("id").asText(), "{\"merge_existing_data\": false, \"data\": "
                + "{\"url\": \"https://d\"}}").status());
        assertEquals("{\"url\":\"https://d\"}", api.get("/block_documents/" + inline.get("id").asText(), 200).get("data").toString(),
                "without merge_existing_data the data sent replaces the stored data");

        // A partial update merges into the stored data; the reference sent again stays.
        assertEquals(204, api.patch("/block_documents/" + byReference.get("id").asText(), "{\"data\": {\"url\": \"https://c\", \"credentials\": "
                + "{\"$ref\": {\"block_document_id\": \"" + credentials.get("id").asText() + "\"}}}}").status());
        JsonNode updated = api.get("/block_documents/" + byReference.get("id").asText(), 200);
        assertEquals("https://c", updated.at("/data/url").asText());
        assertEquals(2.5, updated.at("/data/timeout_s").asDouble(), "merged, not replaced");
        assertEquals(credentials.get("id"), updated.at("/block_document_references/credentials/block_document/id"));
        assertEquals(400, api.patch("/block_documents/" + byReference.get("id").asText(), "{\"block_schema_id\": \""
                + credentialsSchema.get("id").asText() + "\", \"data\": {}}").status(), "a schema of another type is refused");

        assertEquals(422, api.post("/block_documents/", documentBody("Bad Name", "{}", credentialsSchema, credentialsType)).status());
        assertEquals("{\"detail\":\"Received block reference without a block_document_id in key credentials\"}", api.patch("/block_documents/"
                + byReference.get("id").asText(), "{\"data\": {\"credentials\": {\"$ref\": {}}}}").raw());
        assertEquals(409, api.post("/block_documents/", documentBody("dangling-" + suffix, "{\"url\": \"u\", \"credentials\": {\"$ref\": "
                + "{\"block_document_id\": \"" + UUID.randomUUID() + "\"}}}", endpointSchema, endpointType)).status(), "a reference to nothing");
        assertEquals(404, api.get("/block_types/slug/endpoint-" + suffix + "/block_documents/name/dangling-" + suffix).status(), "and nothing half-saved");
        JsonNode anonymous = api.post("/block_documents/", "{\"data\": {\"username\": \"a\", \"token\": \"b\"}, \"block_schema_id\": \""
                + credentialsSchema.get("id").asText() + "\", \"block_type_id\": \"" + credentialsType.get("id").asText()
                + "\", \"is_anonymous\": true}", 201);
        assertTrue(anonymous.get("name").asText().startsWith("anonymous-"));
        String everyCreds = "{\"block_documents\": {\"block_type_id\": {\"any_\": [\"" + credentialsType.get("id").asText() + "\"]}}}";
        assertEquals(1, api.post("/block_documents/filter", everyCreds, 200).size(), "anonymous documents are left out by default");
        assertEquals(2, api.post("/block_documents/filter", "{\"block_documents\": {\"is_anonymous\": null, \"block_type_id\": {\"any_\": [\""
                + credentialsType.get("id").asText() + "\"]}}}", 200).size());

        assertEquals(403, api.delete("/block_types/" + api.get("/block_types/slug/json", 200).get("id").asText()).status());
        assertEquals(204, api.patch("/block_types/" + credentialsType.get("id").asText(), "{\"description\": \"changed\"}").status());
        assertEquals("changed", api.get("/block_types/" + credentialsType.get("id").asText(), 200).get("description").asText());
        assertEquals(204, api.delete("/block_types/" + endpointType.get("id").asText()).status());
        assertEquals(404, api.get("/block_documents/" + byReference.get("id").asText()).status(), "a type's documents go with it");
        assertEquals(200, api.get("/block_documents/" + credentials.get("id").asText()).status(), "a referenced document stays");
    }

    /**
     * Block data is stored as upstream stores it: a Fernet token under the database's
     * ENCRYPTION_KEY, never the secret in clear; Python's {@code cryptography} (upstream's library)
     * reads our token, and a token it writes reads back through our API.
     */
    @Test
    void blockDataIsEncryptedAtRestAsUpstreamEncryptsIt() throws Exception {
        Api api = api();
        String name = unique("at-rest");
        JsonNode type = api.get("/block_types/slug/secret", 200);
        JsonNode schema = api.get("/block_schemas/checksum/" + SECRET_CHECKSUM + "?version=3.4.25", 200);
        String id = api.post("/block_documents/", documentBody(name, "{\"value\": \"plain-s3cr3t\"}", schema, type), 201).get("id").asText();
        String key;
        String token;
        try (Connection c = database()) {
            key = Api.JSON.readTree(Sql.scalar(c, "SELECT value FROM configuration WHERE key = 'ENCRYPTION_KEY'")).get("fernet_key").asText();
            String stored = Sql.scalar(c, "SELECT data FROM block_document WHERE id = '" + id + "'");
            assertFalse(stored.contains("plain-s3cr3t"), "no secret in clear at rest: " + stored);
            token = Api.JSON.readTree(stored).asText();
        }
        JsonNode python = PythonClient.withCryptography().runScript("fernet_interop.py", key, token, "{\"value\": \"from-upstream\"}");
        assertEquals("{\"value\":\"plain-s3cr3t\"}", python.get("decrypted").toString(), "upstream's library reads our token");
        try (Connection c = database()) {
            Sql.exec(c, "UPDATE block_document SET data = '" + Api.JSON.writeValueAsString(python.get("token").asText()) + "' WHERE id = '" + id + "'");
        }
        assertEquals("from-upstream", api.get("/block_documents/" + id + "?include_secrets=true", 200).at("/data/value").asText(),
                "we read upstream's token");
    }

    @Test
    void variablesFollowUpstreamsRules() throws Exception {
        Api api = api();
        String name = unique("var").replace('-', '_');
        JsonNode created = api.post("/variables/", "{\"name\": \"" + name + "\", \"value\": 42, \"tags\": [\"ref\", \"sdk\"]}", 201);
        assertResponse("POST", "/variables/", 201, created);
        assertEquals(List.of("id", "created", "updated", "name", "value", "tags"), fields(created));
        Api.Reply taken = api.post("/variables/", "{\"name\": \"" + name + "\", \"value\": 43}");
        assertEquals(409, taken.status());
        assertEquals("{\"detail\":\"A variable with the name '" + name + "' already exists.\"}", taken.raw());
        assertEquals(204, api.patch("/variables/name/" + name, "{\"name\": \"" + name + "\", \"value\": {\"warn\": 40}, \"tags\": []}").status());
        JsonNode read = api.get("/variables/name/" + name, 200);
        assertEquals("{\"warn\":40}", read.get("value").toString());
        assertEquals("[]", read.get("tags").toString());
        assertEquals(created.get("id"), api.get("/variables/" + created.get("id").asText(), 200).get("id"));
        for (String value : List.of("\"text\"", "true", "1.5", "[1, 2]", "null")) {
            assertEquals(204, api.patch("/variables/" + created.get("id").asText(), "{\"value\": " + value + "}").status());
            assertEquals(Api.JSON.readTree(value), api.get("/variables/name/" + name, 200).get("value"), "any JSON value: " + value);
        }
        JsonNode listed = api.post("/variables/filter", "{\"variables\": {\"name\": {\"like_\": \"" + name.substring(0, 10) + "\"}}}", 200);
        assertResponse("POST", "/variables/filter", 200, listed);
        assertEquals(1, listed.size());
        assertEquals(1, api.post("/variables/count", "{\"variables\": {\"name\": {\"any_\": [\"" + name + "\"]}}}", 200).asInt());

        Api.Reply badName = api.post("/variables/", "{\"name\": \"Bad Name\", \"value\": 1}");
        assertEquals(422, badName.status());
        assertEquals("Value error, Variable name must only contain lowercase letters, numbers, and dashes or underscores.",
                badName.body().at("/exception_detail/0/msg").asText());
        Api.Reply tooLong = api.post("/variables/", "{\"name\": \"" + unique("long").replace('-', '_') + "\", \"value\": \"" + "x".repeat(5000) + "\"}");
        assertEquals(422, tooLong.status());
        assertEquals("[\"body\",\"value\"]", tooLong.body().at("/exception_detail/0/loc").toString());
        assertEquals(422, api.post("/variables/", "{\"name\": \"" + "a".repeat(256) + "\", \"value\": 1}").status());

        assertEquals(204, api.delete("/variables/name/" + name).status());
        assertEquals("{\"detail\":\"Variable not found.\"}", api.get("/variables/name/" + name).raw());
        assertEquals(404, api.delete("/variables/" + created.get("id").asText()).status());
        assertEquals(404, api.patch("/variables/name/" + name, "{\"value\": 1}").status());
    }

    @Test
    void theLatestArtifactFollowsTheNewestOfEachKey() throws Exception {
        Api api = api();
        String key = unique("report");
        String run = api.post("/flow_runs/", "{\"flow_id\": \"" + api.post("/flows/", "{\"name\": \"" + unique("flow") + "\"}", 201).get("id").asText()
                + "\"}", 201).get("id").asText();
        JsonNode first = api.post("/artifacts/", "{\"key\": \"" + key + "\", \"type\": \"markdown\", \"data\": \"# one\", \"flow_run_id\": \"" + run
                + "\"}", 201);
        assertResponse("POST", "/artifacts/", 201, first);
        assertEquals(List.of("id", "created", "updated", "key", "type", "description", "data", "metadata_", "flow_run_id", "task_run_id"), fields(first));
        JsonNode second = api.post("/artifacts/", "{\"key\": \"" + key + "\", \"type\": \"table\", \"data\": \"[{\\\"a\\\": 1}]\", "
                + "\"metadata_\": {\"note\": \"" + "n".repeat(600) + "\"}}", 201);
        assertEquals(503, second.at("/metadata_/note").asText().length(), "metadata values over 500 characters are cut, as upstream cuts them");
        JsonNode latest = api.get("/artifacts/" + key + "/latest", 200);
        assertEquals(second.get("id"), latest.get("latest_id"));
        assertEquals("table", latest.get("type").asText());

        JsonNode progress = api.post("/artifacts/", "{\"key\": \"" + key + "-progress\", \"type\": \"progress\", \"data\": 0.0}", 201);
        for (double p : new double[] {25.0, 60.0, 100.0}) {
            assertEquals(204, api.patch("/artifacts/" + progress.get("id").asText(), "{\"data\": " + p + "}").status());
        }
        assertEquals(100.0, api.get("/artifacts/" + progress.get("id").asText(), 200).get("data").asDouble());
        assertEquals(100.0, api.get("/artifacts/" + key + "-progress/latest", 200).get("data").asDouble());

        JsonNode collection = api.post("/artifacts/latest/filter", "{\"artifacts\": {\"key\": {\"like_\": \"" + key + "\"}}, \"sort\": \"KEY_ASC\"}", 200);
        assertResponse("POST", "/artifacts/latest/filter", 200, collection);
        assertEquals(2, collection.size());
        assertEquals(key, collection.at("/0/key").asText());
        assertEquals(2, api.post("/artifacts/latest/count", "{\"artifacts\": {\"key\": {\"like_\": \"" + key + "\"}}}", 200).asInt());
        assertEquals(3, api.post("/artifacts/count", "{\"artifacts\": {\"key\": {\"like_\": \"" + key + "\"}}}", 200).asInt());
        assertEquals(1, api.post("/artifacts/filter", "{\"flow_runs\": {\"id\": {\"any_\": [\"" + run + "\"]}}}", 200).size(), "by the artifact's run");
        JsonNode unkeyed = api.post("/artifacts/", "{\"type\": \"markdown\", \"data\": \"x\", \"flow_run_id\": \"" + run + "\"}", 201);
        assertTrue(unkeyed.get("key").isNull());
        assertEquals(1, api.post("/artifacts/filter", "{\"artifacts\": {\"key\": {\"exists_\": false}, \"flow_run_id\": {\"any_\": [\"" + run
                + "\"]}}}", 200).size());

        assertEquals(204, api.delete("/artifacts/" + second.get("id").asText()).status());
        assertEquals(first.get("id"), api.get("/artifacts/" + key + "/latest", 200).get("latest_id"), "the next newest becomes the latest");
        assertEquals(204, api.delete("/artifacts/" + first.get("id").asText()).status());
        assertEquals(404, api.get("/artifacts/" + key + "/latest").status());
        assertEquals("{\"detail\":\"Artifact not found.\"}", api.get("/artifacts/" + first.get("id").asText()).raw());
        assertEquals(422, api.post("/artifacts/", "{\"key\": \"Bad Key\"}").status());
    }

    @Test
    void savedSearchesAreReplacedByName() throws Exception {
        Api api = api();
        String name = unique("late runs");
        String body = "{\"name\": \"" + name + "\", \"filters\": [{\"object\": \"flow_run\", \"property\": \"state\", \"type\": \"string\", "
                + "\"operation\": \"equals\", \"value\": \"Late\"}]}";
        Api.Reply created = put(api, body);
        assertEquals(201, created.status());
        assertResponse("PUT", "/saved_searches/", 200, created.body());
        Api.Reply replaced = put(api, "{\"name\": \"" + name + "\", \"filters\": []}");
        assertEquals(200, replaced.status());
        assertEquals(created.body().get("id"), replaced.body().get("id"));
        assertEquals("[]", api.get("/saved_searches/" + created.body().get("id").asText(), 200).get("filters").toString());
        JsonNode listed = api.post("/saved_searches/filter", "{}", 200);
        assertResponse("POST", "/saved_searches/filter", 200, listed);
        assertFalse(listed.isEmpty());
        assertEquals(204, api.delete("/saved_searches/" + created.body().get("id").asText()).status());
        assertEquals("{\"detail\":\"Saved search not found\"}", api.get("/saved_searches/" + created.body().get("id").asText()).raw());
    }

    private Api.Reply put(Api api, String body) throws Exception {
        HttpResponse<String> response = Http.method("PUT", server().api("/saved_searches/"), body, "Content-Type", "application/json");
        return new Api.Reply(response.statusCode(), Api.JSON.readTree(response.body()), response.body());
    }

    private static ObjectNode schemaBody(ObjectNode fields, JsonNode type, String... capabilities) {
        ObjectNode body = Api.JSON.createObjectNode();
        body.set("fields", fields);
        body.put("block_type_id", type.get("id").asText());
        ArrayNode declared = body.putArray("capabilities");
        for (String capability : capabilities) {
            declared.add(capability);
        }
        body.put("version", capabilities.length == 0 ? "non-versioned" : "1.0");
        return body;
    }

    private static String documentBody(String name, String data, JsonNode schema, JsonNode type) {
        return "{\"name\": \"" + name + "\", \"data\": " + data + ", \"block_schema_id\": \"" + schema.get("id").asText() + "\", \"block_type_id\": \""
                + type.get("id").asText() + "\", \"is_anonymous\": false}";
    }

    private static String slugsOf(JsonNode types) {
        List<String> slugs = new ArrayList<>();
        types.forEach(t -> slugs.add("\"" + t.get("slug").asText() + "\""));
        return "[" + String.join(",", slugs) + "]";
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
