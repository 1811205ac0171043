package org.openprefect.appliance.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a raw value (an environment string, a profile string, or a typed TOML value) into the typed
 * value its schema describes, with pydantic's lax coercions and pydantic-style messages.
 */
public final class ValueParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRUE_WORDS = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE_WORDS = Set.of("0", "off", "f", "false", "n", "no");

    private ValueParser() {
    }

    public static JsonNode parse(SettingDefinition setting, JsonNode raw) {
        try {
            return parse(setting.schema(), raw, setting);
        } catch (Problem p) {
            throw new InvalidSettingException(setting.name(), p.getMessage());
        }
    }

    public static JsonNode parse(SettingDefinition setting, String raw) {
        return parse(setting, TextNode.valueOf(raw));
    }

    private static JsonNode parse(JsonNode schema, JsonNode raw, SettingDefinition setting) {
        if (schema.has("anyOf")) {
            return parseUnion(schema.get("anyOf"), raw, setting);
        }
        if (schema.has("enum")) {
            return parseEnum(schema.get("enum"), raw, setting);
        }
        String type = schema.path("type").asText("");
        String format = schema.path("format").asText("");
        JsonNode value = switch (type) {
            case "boolean" -> parseBoolean(raw);
            case "integer" -> parseInteger(raw);
            case "number" -> parseNumber(raw);
            case "array" -> parseArray(schema, raw, setting);
            case "object" -> parseObject(raw);
            case "string" -> "duration".equals(format) ? parseDuration(raw) : TextNode.valueOf(text(raw));
            default -> raw;
        };
        checkBounds(schema, value);
        return value;
    }

    private static JsonNode parseUnion(JsonNode alternatives, JsonNode raw, SettingDefinition setting) {
        Problem first = null;
        boolean nullable = false;
        for (JsonNode alternative : alternatives) {
            if ("null".equals(alternative.path("type").asText())) {
                nullable = true;
                continue;
            }
            try {
                return parse(alternative, raw, setting);
            } catch (Problem p) {
                if (first == null) {
                    first = p;
                }
            }
        }
        if (nullable && raw.isNull()) {
            return NullNode.getInstance();
        }
        throw first != null ? first : new Problem("Input should be None");
    }

    private static JsonNode parseEnum(JsonNode allowed, JsonNode raw, SettingDefinition setting) {
        String given = text(raw);
        // Upstream's log-level type upper-cases before validating ("info" is accepted).
        String candidate = setting.name().endsWith("LEVEL") ? given.toUpperCase(Locale.ROOT) : given;
        List<String> options = new ArrayList<>();
        for (JsonNode option : allowed) {
            if (option.asText().equals(candidate)) {
                return TextNode.valueOf(candidate);
            }
            options.add("'" + option.asText() + "'");
        }
        String joined = options.size() == 1 ? options.getFirst()
                : String.join(", ", options.subList(0, options.size() - 1)) + " or " + options.getLast();
        throw new Problem("Input should be " + joined);
    }

    private static JsonNode parseBoolean(JsonNode raw) {
        if (raw.isBoolean()) {
            return raw;
        }
        String word = text(raw).strip().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(word)) {
            return BooleanNode.TRUE;
        }
        if (FALSE_WORDS.contains(word)) {
            return BooleanNode.FALSE;
        }
        throw new Problem("Input should be a valid boolean, unable to interpret input");
    }

    private static JsonNode parseInteger(JsonNode raw) {
        if (raw.isIntegralNumber()) {
            return LongNode.valueOf(raw.asLong());
        }
        try {
            BigDecimal number = new BigDecimal(text(raw).strip());
            if (number.stripTrailingZeros().scale() > 0) {
                throw new Problem("Input should be a valid integer, got a number with a fractional part");
            }
            return LongNode.valueOf(number.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Problem("Input should be a valid integer, unable to parse string as an integer");
        }
    }

    private static JsonNode parseNumber(JsonNode raw) {
        if (raw.isNumber()) {
            return DoubleNode.valueOf(raw.asDouble());
        }
        try {
            double value = Double.parseDouble(text(raw).strip());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return DoubleNode.valueOf(value);
        } catch (NumberFormatException e) {
            throw new Problem("Input should be a valid number, unable to parse string as a number");
        }
    }

    private static JsonNode parseDuration(JsonNode raw) {
        try {
            return TextNode.valueOf(Durations.parse(text(raw)).toString());
        } catch (IllegalArgumentException e) {
            throw new Problem("Input should be a valid timedelta, " + e.getMessage());
        }
    }

    private static JsonNode parseArray(JsonNode schema, JsonNode raw, SettingDefinition setting) {
        JsonNode items = raw;
        if (raw.isTextual()) {
            String s = raw.asText().strip();
            if (s.startsWith("[")) {
                items = readJson(s, "Input should be a valid list");
            } else {
                ArrayNode split = JsonNodeFactory.instance.arrayNode();
                for (String part : s.split(",")) {
                    if (!part.isBlank()) {
                        split.add(part.strip());
                    }
                }
                items = split;
            }
        }
        if (!items.isArray()) {
            throw new Problem("Input should be a valid list");
        }
        ArrayNode parsed = JsonNodeFactory.instance.arrayNode();
        JsonNode itemSchema = schema.path("items");
        for (JsonNode item : items) {
            parsed.add(itemSchema.isMissingNode() ? item : parse(itemSchema, item, setting));
        }
        return parsed;
    }

    private static JsonNode parseObject(JsonNode raw) {
        JsonNode value = raw.isTextual() ? readJson(raw.asText(), "Input should be a valid dictionary") : raw;
        if (!value.isObject()) {
            throw new Problem("Input should be a valid dictionary");
        }
        return value;
    }

    private static void checkBounds(JsonNode schema, JsonNode value) {
        if (!value.isNumber()) {
            return;
        }
        double v = value.asDouble();
        if (schema.has("minimum") && v < schema.get("minimum").asDouble()) {
            throw new Problem("Input should be greater than or equal to " + plain(schema.get("minimum")));
        }
        if (schema.has("exclusiveMinimum") && v <= schema.get("exclusiveMinimum").asDouble()) {
            throw new Problem("Input should be greater than " + plain(schema.get("exclusiveMinimum")));
        }
        if (schema.has("maximum") && v > schema.get("maximum").asDouble()) {
            throw new Problem("Input should be less than or equal to " + plain(schema.get("maximum")));
        }
        if (schema.has("exclusiveMaximum") && v >= schema.get("exclusiveMaximum").asDouble()) {
            throw new Problem("Input should be less than " + plain(schema.get("exclusiveMaximum")));
        }
    }

    private static String plain(JsonNode bound) {
        // pydantic-core prints float bounds the way Rust does: 3600.0 as 3600, 0.5 as 0.5.
        return bound.isIntegralNumber() ? bound.asText() : BigDecimal.valueOf(bound.asDouble()).stripTrailingZeros().toPlainString();
    }

    private static JsonNode readJson(String text, String problem) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Problem(problem);
        }
    }

    private static String text(JsonNode raw) {
        return raw.isTextual() ? raw.asText() : raw.toString();
    }

    /** Internal signal carrying a pydantic-style message; becomes an {@link InvalidSettingException}. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
