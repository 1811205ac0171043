package org.openprefect.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.openprefect.it.support.OpenApiContract;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The response checker really checks: bodies that break upstream's schema are caught. */
class OpenApiContractSelfTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void wrongTypesAndMissingFieldsAreCaught() throws Exception {
        OpenApiContract.assertComponent("Flow", json.readTree("{\"id\":\"6f9f6b3c-0000-4000-8000-000000000001\",\"created\":null,\"updated\":null,\"name\":\"ok\",\"tags\":[],\"labels\":{}}"));
        assertThrows(AssertionError.class, () -> OpenApiContract.assertComponent("Flow", json.readTree("{\"id\":\"x\",\"tags\":[]}")));
        assertThrows(AssertionError.class, () -> OpenApiContract.assertResponse("POST", "/flows/count", 200, json.readTree("\"seven\"")));
        assertThrows(AssertionError.class, () -> OpenApiContract.assertResponse("GET", "/flow_runs/{id}", 200,
                json.readTree("{\"id\":\"6f9f6b3c-0000-4000-8000-000000000001\",\"flow_id\":\"6f9f6b3c-0000-4000-8000-000000000002\","
                        + "\"state_type\":\"NOT_A_STATE\"}")));
    }
}
