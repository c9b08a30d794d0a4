package io.dbwire.daemon.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daemon is the engine's edges: the command line on top, the lifecycle that wires a run or a replay below it,
 * the edges themselves (sources, sinks, metrics, key intake) below that, and configuration and the clock at the
 * bottom. No package cycles.
 */
class DaemonLayeringTest {
    private static JavaClasses daemon;

    @BeforeAll
    static void importDaemon() {
        daemon = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dbwire.daemon");
    }

    @Test
    void commandLineOnTopThenLifecycleThenEdges() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Cli").definedBy("io.dbwire.daemon.cli..")
                .layer("Lifecycle").definedBy("io.dbwire.daemon.lifecycle..")
                .layer("Config").definedBy("io.dbwire.daemon.config..")
                .layer("Clock").definedBy("io.dbwire.daemon.clock..")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("Lifecycle").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Config").mayNotAccessAnyLayer()
                .whereLayer("Clock").mayNotAccessAnyLayer()
                .check(daemon);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.dbwire.daemon.(**)").should().beFreeOfCycles().check(daemon);
    }
}
