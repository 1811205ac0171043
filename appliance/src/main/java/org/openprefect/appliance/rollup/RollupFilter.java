package org.openprefect.appliance.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Times;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A filter body the rollup can answer: the runs of one table by state type and name, in a window of
 * their start or expected start time, task runs optionally without subflows' parent tasks, and
 * nothing else (an empty or absent filter for every other resource). These are the shapes of the
 * UI's dashboard and runs pages; any other body is answered from the runs themselves.
 *
 * @param timeColumn {@code start_time}, {@code expected_start_time}, or null for no time condition
 * @param after      inclusive lower bound, or null
 * @param before     inclusive upper bound, or null
 * @param stateTypes the state types a run must have one of, or null for any
 * @param stateNames the state names a run must have one of, or null for any
 */
public record RollupFilter(String table, String timeColumn, Instant after, Instant before, List<String> stateTypes, List<String> stateNames,
                           boolean withoutSubflowParents) {
    /** Keys of a body that are not filters: paging, and the intervals of a history. */
    private static final Set<String> NOT_FILTERS = Set.of("sort", "limit", "offset", "page", "history_start", "history_end",
            "history_interval_seconds");
    private static final Set<String> TIME_COLUMNS = Set.of("start_time", "expected_start_time");

    /** The body's filter when the rollup can answer it; {@code table} is {@code flow_run} or {@code task_run}. */
    public static Optional<RollupFilter> of(String table, JsonNode body) {
        try {
            return Optional.ofNullable(parse(table, body));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static RollupFilter parse(String table, JsonNode body) {
        if (!body.isObject()) {
            return null;
        }
        String own = table + "s";
        JsonNode runs = null;
        for (Map.Entry<String, JsonNode> field : given(body)) {
            if (field.getKey().equals(own)) {
                runs = field.getValue();
            } else if (!NOT_FILTERS.contains(field.getKey()) && !empty(field.getValue())) {
                return null;
            }
        }
        Builder b = new Builder(table);
        if (absent(runs)) {
            return b.build();
        }
        if (!runs.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> field : given(runs)) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            boolean understood = switch (key) {
                case "operator" -> "and_".equals(value.asText());
                case "state" -> b.state(value);
                case "start_time", "expected_start_time" -> b.time(key, value);
                case "subflow_runs" -> table.equals("task_run") && b.subflows(value);
                default -> false;
            };
            if (!understood) {
                return null;
            }
        }
        return b.build();
    }

    /** True when the body's time window has no bounds. */
    public boolean unbounded() {
        return timeColumn == null;
    }

    /** The body's time window as whole minutes and edges. */
    public MinuteRange window() {
        return unbounded() ? MinuteRange.unbounded() : MinuteRange.of(after, before);
    }

    private static final class Builder {
        private final String table;
        private String timeColumn;
        private Instant after;
        private Instant before;
        private List<String> types;
        private List<String> names;
        private boolean withoutSubflowParents;

        Builder(String table) {
            this.table = table;
        }

        boolean state(JsonNode state) {
            for (Map.Entry<String, JsonNode> field : given(state)) {
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "operator" -> {
                        if (!"and_".equals(value.asText())) {
                            return false;
                        }
                    }
                    case "type" -> {
                        types = anyOf(value);
                        if (types == null) {
                            return false;
                        }
                    }
                    case "name" -> {
                        names = anyOf(value);
                        if (names == null) {
                            return false;
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            }
            return true;
        }

        boolean time(String column, JsonNode window) {
            if (timeColumn != null || !TIME_COLUMNS.contains(column) || !window.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : given(window)) {
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "after_" -> after = Times.parse(value.asText());
                    case "before_" -> before = Times.parse(value.asText());
                    default -> {
                        return false;
                    }
                }
            }
            if (after != null || before != null) {
                timeColumn = column;
            }
            return true;
        }

        boolean subflows(JsonNode subflows) {
            for (Map.Entry<String, JsonNode> field : given(subflows)) {
                if (!field.getKey().equals("exists_") || !field.getValue().isBoolean() || field.getValue().asBoolean()) {
                    return false;
                }
                withoutSubflowParents = true;
            }
            return true;
        }

        /** A non-empty list of texts under {@code any_} and nothing else, or null. */
        private static List<String> anyOf(JsonNode criteria) {
            if (!criteria.isObject() || criteria.size() != 1 || !criteria.path("any_").isArray() || criteria.get("any_").isEmpty()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : criteria.get("any_")) {
                if (!v.isTextual()) {
                    return null;
                }
                values.add(v.asText());
            }
            return List.copyOf(values);
        }

        RollupFilter build() {
            return new RollupFilter(table, timeColumn, after, before, types, names, withoutSubflowParents);
        }
    }

    /** An absent filter, or one with nothing but absent values and the default {@code and_} operator. */
    private static boolean empty(JsonNode filter) {
        if (absent(filter)) {
            return true;
        }
        if (!filter.isObject()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> field : given(filter)) {
            if (!field.getKey().equals("operator") || !"and_".equals(field.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The fields of an object whose values are given: null and missing count as absent, as in {@code FilterSql}. */
    private static List<Map.Entry<String, JsonNode>> given(JsonNode object) {
        List<Map.Entry<String, JsonNode>> given = new ArrayList<>();
        object.fields().forEachRemaining(field -> {
            if (!absent(field.getValue())) {
                given.add(field);
            }
        });
        return given;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull();
    }
}
