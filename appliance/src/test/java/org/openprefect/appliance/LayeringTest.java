package org.openprefect.appliance;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The server's packages point one way (docs/architecture.md): a lower package never uses a higher one, and no loops. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openprefect.appliance");

    @Test
    void layersPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().ensureAllClassesAreContainedInArchitecture()
                .layer("Server").definedBy("org.openprefect.appliance")
                .layer("Features").definedBy("..appliance.admin..", "..appliance.events..", "..appliance.flowruns..",
                        "..appliance.flows..", "..appliance.logs..", "..appliance.taskruns..", "..appliance.ui..", "..appliance.workpools..", "..appliance.runs..",
                        "..appliance.deployments..", "..appliance.automations..",
                        "..appliance.schedules..", "..appliance.workers..", "..appliance.concurrency..", "..appliance.blocks..",
                        "..appliance.variables..", "..appliance.artifacts..", "..appliance.savedsearches..", "..appliance.templates..",
                        "..appliance.dashboard..")
                .layer("Http").definedBy("..appliance.http..")
                .layer("Rollup").definedBy("..appliance.rollup..")
                .layer("Orchestration").definedBy("..appliance.orchestration..")
                .layer("Filters").definedBy("..appliance.filters..")
                .layer("Services").definedBy("..appliance.services..")
                .layer("Db").definedBy("..appliance.db..")
                .layer("Settings").definedBy("..appliance.settings..")
                .layer("Common").definedBy("..appliance.common..")
                .whereLayer("Server").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Server")
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Server", "Features")
                .whereLayer("Rollup").mayOnlyBeAccessedByLayers("Server", "Features")
                .whereLayer("Orchestration").mayOnlyBeAccessedByLayers("Server", "Features", "Rollup")
                .whereLayer("Filters").mayOnlyBeAccessedByLayers("Server", "Features", "Rollup")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Server", "Features", "Rollup")
                .whereLayer("Db").mayOnlyBeAccessedByLayers("Server", "Features", "Http", "Orchestration", "Filters", "Services", "Rollup")
                .whereLayer("Settings").mayOnlyBeAccessedByLayers("Server", "Features", "Http", "Orchestration", "Filters", "Db", "Services")
                .check(CLASSES);
    }

    @Test
    void noPackageLoops() {
        slices().matching("org.openprefect.appliance.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
