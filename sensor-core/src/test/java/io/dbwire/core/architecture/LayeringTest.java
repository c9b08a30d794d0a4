package io.dbwire.core.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way — decap → tcp → tls → protocol → record → detect, with the pipeline on top wiring them — and
 * the code depends the same way: a layer uses only the layers before it. {@code record} holds the value types the
 * parsing layers produce and detection consumes, so they may all use it while it uses none of them; {@code util},
 * {@code config} and {@code memory} (the budget every layer's tables draw from) are below everything.
 */
class LayeringTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dbwire.core");
    }

    @Test
    void layersDependOnlyOnTheLayersBeforeThem() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Util").definedBy("io.dbwire.core.util..")
                .layer("Config").definedBy("io.dbwire.core.config..")
                .layer("Memory").definedBy("io.dbwire.core.memory..")
                .layer("Decap").definedBy("io.dbwire.core.decap..")
                .layer("Tcp").definedBy("io.dbwire.core.tcp..")
                .layer("Tls").definedBy("io.dbwire.core.tls..")
                .layer("Protocol").definedBy("io.dbwire.core.protocol..")
                .layer("Record").definedBy("io.dbwire.core.record..")
                .layer("Detect").definedBy("io.dbwire.core.detect..")
                .layer("Pipeline").definedBy("io.dbwire.core.pipeline..")
                .whereLayer("Util").mayNotAccessAnyLayer()
                .whereLayer("Config").mayOnlyAccessLayers("Util")
                .whereLayer("Memory").mayOnlyAccessLayers("Util")
                .whereLayer("Record").mayOnlyAccessLayers("Util", "Config")
                .whereLayer("Decap").mayOnlyAccessLayers("Util", "Config", "Memory")
                .whereLayer("Tcp").mayOnlyAccessLayers("Util", "Config", "Memory", "Decap")
                .whereLayer("Tls").mayOnlyAccessLayers("Util", "Config", "Memory", "Decap", "Tcp", "Record")
                .whereLayer("Protocol").mayOnlyAccessLayers("Util", "Config", "Memory", "Decap", "Tcp", "Tls",
                        "Record")
                .whereLayer("Detect").mayOnlyAccessLayers("Util", "Config", "Memory", "Record")
                .whereLayer("Pipeline").mayNotBeAccessedByAnyLayer()
                .check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.dbwire.core.(**)").should().beFreeOfCycles().check(core);
    }
}
