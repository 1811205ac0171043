package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** pydantic's lax coercions and messages, setting by setting. */
class ValueParserTest {
    private static SettingDefinition setting(String name) {
        return SettingsCatalog.get().byName(name).orElseThrow();
    }

    private static String problem(String name, String value) {
        return assertThrows(InvalidSettingException.class, () -> ValueParser.parse(setting(name), value)).problem();
    }

    @Test
    void booleansAcceptPydanticWords() {
        for (String yes : new String[]{"true", "True", "1", "yes", "on", "t", "y"}) {
            assertEquals(true, ValueParser.parse(setting("PREFECT_SERVER_UI_ENABLED"), yes).asBoolean(), yes);
        }
        for (String no : new String[]{"false", "0", "no", "off", "F"}) {
            assertEquals(false, ValueParser.parse(setting("PREFECT_SERVER_UI_ENABLED"), no).asBoolean(), no);
        }
        assertEquals("Input should be a valid boolean, unable to interpret input", problem("PREFECT_SERVER_UI_ENABLED", "maybe"));
    }

    @Test
    void numbersAndBounds() {
        assertEquals(4300, ValueParser.parse(setting("PREFECT_SERVER_API_PORT"), "4300").asInt());
        assertEquals("Input should be a valid integer, unable to parse string as an integer", problem("PREFECT_SERVER_API_PORT", "x"));
        assertEquals("Input should be greater than or equal to 0", problem("PREFECT_CLIENT_MAX_RETRIES", "-1"));
        assertEquals(2.5, ValueParser.parse(setting("PREFECT_API_REQUEST_TIMEOUT"), "2.5").asDouble());
        assertEquals("Input should be a valid number, unable to parse string as a number", problem("PREFECT_API_REQUEST_TIMEOUT", "soon"));
        assertEquals("Input should be less than or equal to 3600", problem("PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION", "4000"));
    }

    @Test
    void enumsDurationsAndNullables() {
        assertEquals("INFO", ValueParser.parse(setting("PREFECT_SERVER_LOGGING_LEVEL"), "info").asText());
        assertEquals("Input should be 'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'", problem("PREFECT_SERVER_LOGGING_LEVEL", "LOUD"));
        assertEquals("PT30M", ValueParser.parse(setting("PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION"), "1800").asText());
        assertEquals("PT2H", ValueParser.parse(setting("PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION"), "PT2H").asText());
        assertEquals("PT1H30M", ValueParser.parse(setting("PREFECT_SERVER_API_CSRF_TOKEN_EXPIRATION"), "1:30:00").asText());
        assertEquals("http://x/api", ValueParser.parse(setting("PREFECT_API_URL"), "http://x/api").asText());
        // As in pydantic, an environment string is a string even when it reads "None".
        assertEquals("None", ValueParser.parse(setting("PREFECT_API_URL"), "None").asText());
    }

    @Test
    void pythonRenderingOfDefaults() {
        assertEquals("1:00:00", Durations.pythonText(Duration.ofHours(1)));
        assertEquals("7 days, 0:00:00", Durations.pythonText(Duration.ofDays(7)));
        assertEquals("60.0", PythonText.of(DoubleNode.valueOf(60)));
        assertEquals("True", PythonText.of(BooleanNode.TRUE));
        assertEquals("['a', 'b']", PythonText.of(new ObjectMapper().createArrayNode().add("a").add("b")));
    }
}
