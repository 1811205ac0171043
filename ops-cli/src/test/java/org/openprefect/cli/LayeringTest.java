package org.openprefect.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The CLI's packages: subcommands reach the root only through {@code common.ContextRoot}, and no loops. */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openprefect.cli");

    @Test
    void nothingBelowTheRootUsesTheRoot() {
        noClasses().that().resideOutsideOfPackage("org.openprefect.cli")
                .should().dependOnClassesThat().resideInAPackage("org.openprefect.cli")
                .check(CLASSES);
    }

    @Test
    void noPackageLoops() {
        slices().matching("org.openprefect.cli.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
