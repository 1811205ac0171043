package org.openprefect.appliance.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.openprefect.appliance.common.Json;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A table artifact's data as rows and columns. The client stores it as JSON text in one of the
 * shapes pandas-like tables take: a list of records, a mapping of column to values, or a list of rows.
 */
final class ArtifactTable {
    /** Column headers and rows of cell texts. */
    record Table(List<String> columns, List<List<String>> rows) {
    }

    private ArtifactTable() {
    }

    /** The table, or null when the data is not one of the known shapes (the page then shows it as JSON). */
    static Table of(JsonNode data) {
        JsonNode table = data.isTextual() ? Json.parseOrNull(data.asText()) : data;
        if (table == null) {
            return null;
        }
        if (table.isArray() && !table.isEmpty() && table.get(0).isObject()) {
            Set<String> columns = new LinkedHashSet<>();
            table.forEach(r -> r.fieldNames().forEachRemaining(columns::add));
            List<List<String>> rows = new ArrayList<>();
            table.forEach(r -> rows.add(columns.stream().map(c -> cell(r.path(c))).toList()));
            return new Table(List.copyOf(columns), rows);
        }
        if (table.isArray() && !table.isEmpty() && table.get(0).isArray()) {
            List<List<String>> rows = new ArrayList<>();
            int width = 0;
            for (JsonNode r : table) {
                List<String> cells = new ArrayList<>();
                r.forEach(v -> cells.add(cell(v)));
                width = Math.max(width, cells.size());
                rows.add(cells);
            }
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                columns.add(String.valueOf(i));
            }
            return new Table(columns, rows);
        }
        if (table.isObject() && table.size() > 0 && table.elements().next().isArray()) {
            List<String> columns = new ArrayList<>();
            table.fieldNames().forEachRemaining(columns::add);
            int height = 0;
            for (String c : columns) {
                height = Math.max(height, table.get(c).size());
            }
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < height; i++) {
                int row = i;
                rows.add(columns.stream().map(c -> cell(table.get(c).path(row))).toList());
            }
            return new Table(columns, rows);
        }
        return null;
    }

    private static String cell(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }
}
