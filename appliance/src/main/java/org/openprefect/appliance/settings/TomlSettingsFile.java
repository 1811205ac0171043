package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code prefect.toml} ({@code [server.api] port = 4200}) or the {@code [tool.prefect]} part of
 * {@code pyproject.toml}: settings keyed by their tree path rather than their env name.
 */
public final class TomlSettingsFile {
    private final JsonNode root;

    private TomlSettingsFile(JsonNode root) {
        this.root = root;
    }

    public static TomlSettingsFile prefectToml(Path file) {
        return new TomlSettingsFile(read(file));
    }

    public static TomlSettingsFile pyprojectToml(Path file) {
        return new TomlSettingsFile(read(file).path("tool").path("prefect"));
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode tree = new TomlMapper().readTree(file.toFile());
            return tree == null ? MissingNode.getInstance() : tree;
        } catch (IOException e) {
            throw new SettingsException("Cannot read " + file + ": invalid TOML ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The value at a dotted path, or null when the file does not set it. */
    public JsonNode get(String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() || node.isContainerNode() && !node.isArray() && !looksLikeValue(dottedPath) ? null : node;
    }

    private static boolean looksLikeValue(String dottedPath) {
        // A few settings are themselves objects (client.custom_headers); only those may be tables.
        return SettingsCatalog.get().findByPath(dottedPath)
                .map(d -> "object".equals(d.schema().path("type").asText())).orElse(false);
    }
}
