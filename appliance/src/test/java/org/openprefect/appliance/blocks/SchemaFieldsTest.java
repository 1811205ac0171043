package org.openprefect.appliance.blocks;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openprefect.appliance.common.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checksums the way the Prefect client computes them: for every schema upstream 3.4.25 answered in
 * the traces (kept in the system catalogue), ours is the one it recorded, bit for bit.
 */
class SchemaFieldsTest {
    @Test
    void recordedSchemasHaveTheirRecordedChecksums() {
        JsonNode catalogue = SystemBlockTypes.catalogue();
        assertEquals(2, catalogue.get("block_schemas").size());
        for (JsonNode schema : catalogue.get("block_schemas")) {
            assertEquals(schema.get("checksum").asText(), SchemaFields.checksum(schema.get("fields")), schema.get("block_type_slug").asText());
        }
    }

    @Test
    void blockDefinitionsAndSecretFieldsDoNotCount() throws Exception {
        JsonNode plain = Json.MAPPER.readTree("{\"title\": \"A\", \"properties\": {\"x\": {\"$ref\": "
                + "\"#/definitions/Child\"}}}");
        JsonNode withExtras = Json.MAPPER.readTree("{\"title\": \"A\", \"secret_fields\": [\"x.token\"], "
                + "\"properties\": {\"x\": {\"$ref\": \"#/definitions/Child\"}}, \"definitions\": {\"Child\": {\"block_type_slug\": \"child\"}}}");
        assertEquals(SchemaFields.checksum(plain), SchemaFields.checksum(withExtras));
    }
}
