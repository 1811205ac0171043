package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Renders a setting value the way upstream's {@code str(value)} does, so {@code config view} output matches. */
public final class PythonText {
    private PythonText() {
    }

    public static String of(SettingDefinition definition, JsonNode value) {
        if (value.isTextual() && isDuration(definition.schema())) {
            return Durations.pythonText(Durations.parse(value.asText()));
        }
        return of(value);
    }

    public static String of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        if (value.isFloatingPointNumber()) {
            return pythonFloat(value.asDouble());
        }
        if (value.isNumber() || value.isTextual()) {
            return value.asText();
        }
        List<String> parts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> parts.add(repr(item)));
            return "[" + String.join(", ", parts) + "]";
        }
        value.properties().forEach(e -> parts.add("'" + e.getKey() + "': " + repr(e.getValue())));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String repr(JsonNode value) {
        return value.isTextual() ? "'" + value.asText().replace("'", "\\'") + "'" : of(value);
    }

    private static String pythonFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return BigDecimal.valueOf(d).setScale(1).toPlainString();
        }
        String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return Math.abs(d) >= 1e-4 ? s : Double.toString(d).replace("E", "e-0").replace("e-0-", "e-");
    }

    private static boolean isDuration(JsonNode schema) {
        if ("duration".equals(schema.path("format").asText())) {
            return true;
        }
        for (JsonNode alternative : schema.path("anyOf")) {
            if ("duration".equals(alternative.path("format").asText())) {
                return true;
            }
        }
        return false;
    }
}
