package org.openprefect.appliance.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The expected texts are what Python 3's {@code json.dumps(..., sort_keys=True)} printed for the same values. */
class PythonJsonTest {
    @Test
    void floatsAreWrittenAsPythonsRepr() {
        double[] values = {5.0, 1e-05, 1e16, 123456789012345678.0, 0.1, 2.5, -0.0, 1e22, 0.0001, 1.5e-7, 9999999999999998.0, 100.0};
        String[] python = {"5.0", "1e-05", "1e+16", "1.2345678901234568e+17", "0.1", "2.5", "-0.0", "1e+22", "0.0001", "1.5e-07",
            "9999999999999998.0", "100.0"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(python[i], PythonJson.floatRepr(values[i]), "repr(" + values[i] + ")");
        }
    }

    @Test
    void keysAreSortedAndNonAsciiEscaped() throws Exception {
        String json = "{\"b\": \"\u00e9\uD83D\uDE00\u007f\\\"\\\\\", \"a\": [1, true, null]}";
        assertEquals("{\"a\": [1, true, null], \"b\": \"\\u00e9\\ud83d\\ude00\\u007f\\\"\\\\\"}", PythonJson.dumpsSorted(Json.MAPPER.readTree(json)));
    }
}
