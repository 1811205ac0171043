package org.openprefect.appliance.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Json#compact} writes the characters Jackson's {@link JsonNode#toString()} writes, which stored rows held until now. */
class JsonCompactTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void parsedDocumentsOfEveryKindOfValue() throws Exception {
        for (String text : List.of(
                "{}", "[]", "null", "true", "\"\"", "0", "-0", "1.0", "-0.0", "1e-5", "1E+300", "123456789012345678901234567890",
                "0.1000000000000000055511151231257827", "{\"a\":[1,2.5,{\"b\":null}],\"c\":{}}",
                "{\"quote\\\"back\\\\slash\":\"tab\\tnl\\ncr\\rff\\fbs\\bnul\\u0000us\\u001fdel\\u007f\"}",
                "{\"slash\":\"a/b\",\"unicode\":\"é ✓ \\u2028 👋\",\"lone\":\"\\ud83d\"}",
                "{\"prefect.resource.id\":\"prefect.task-run.01a2382e-9979-7921-8000-000000000000\",\"prefect.run-count\":\"1\"}")) {
            JsonNode node = Json.MAPPER.readTree(text);
            assertEquals(node.toString(), Json.compact(node), text);
        }
    }

    @Test
    void builtNodesIncludingNumbersJacksonQuotes() {
        ObjectNode node = NODES.objectNode();
        node.put("int", Integer.MIN_VALUE).put("long", Long.MAX_VALUE).put("float", 1.5e-7f).put("double", 2.0e22)
                .put("big", new BigInteger("-98765432109876543210")).put("decimal", new BigDecimal("1.50E+3"))
                .put("nan", Double.NaN).put("inf", Double.NEGATIVE_INFINITY).put("fnan", Float.NaN).put("bool", false);
        node.putArray("bytes").add(new byte[] {1, 2, 3});
        node.putPOJO("pojo", List.of("x"));
        assertEquals(node.toString(), Json.compact(node));
    }

    @Test
    void randomTreesOfRandomCharacters() {
        Random random = new Random(19);
        StringBuilder reused = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            JsonNode node = randomNode(random, 4);
            assertEquals(node.toString(), Json.compact(node));
            assertEquals(node.toString(), Json.compact(node, reused), "one buffer for every tree: nothing of the one before");
        }
    }

    private static JsonNode randomNode(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0:
                return NODES.textNode(randomText(random));
            case 1:
                return NODES.numberNode(random.nextInt());
            case 2:
                return NODES.numberNode(random.nextLong());
            case 3:
                return NODES.numberNode(Double.longBitsToDouble(random.nextLong()));
            case 4:
                return NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
            case 5:
                return NODES.booleanNode(random.nextBoolean());
            case 6:
                return NODES.nullNode();
            case 7:
                ObjectNode object = NODES.objectNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.set(randomText(random), randomNode(random, depth - 1));
                }
                return object;
            default:
                ArrayNode array = NODES.arrayNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(randomNode(random, depth - 1));
                }
                return array;
        }
    }

    /** Mostly ASCII (control characters, quotes and backslashes among it), some of the rest of the BMP and surrogates. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
        }
        return text.toString();
    }
}
