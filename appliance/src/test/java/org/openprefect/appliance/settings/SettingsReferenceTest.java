package org.openprefect.appliance.settings;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md must list exactly the settings the server reads. */
class SettingsReferenceTest {
    @Test
    void configurationPageIsUpToDate() throws Exception {
        Path page = Path.of("..", "docs", "configuration.md");
        String current = Files.readString(page, StandardCharsets.UTF_8);
        assertEquals(SettingsReference.replaceTable(current), current,
                "docs/configuration.md is stale; after a build, run from the repository root: java -cp \"$(ls ops-cli/target/lib/*.jar | tr '\\n' :)\" "
                        + "org.openprefect.appliance.settings.SettingsReference docs/configuration.md");
    }

    @Test
    void everySettingOfTheCatalogueIsInTheTable() {
        String table = SettingsReference.table();
        for (SettingDefinition d : SettingsCatalog.get().all()) {
            assertTrue(table.contains("| `" + d.name() + "`"), d.name());
        }
        assertTrue(SettingsCatalog.get().all().size() >= 200, "the catalogue holds upstream's full settings tree");
    }
}
