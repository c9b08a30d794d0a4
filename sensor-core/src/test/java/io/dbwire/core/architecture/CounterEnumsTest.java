package io.dbwire.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dbwire.core.util.CountedEvent;
import org.junit.jupiter.api.Test;

/** Counter enums describe themselves (volume or problem, metric name); no list elsewhere decides it for them. */
class CounterEnumsTest {
    @Test
    void counterEnumsAreCountedEvents() {
        classes().that().areEnums()
                .and().haveSimpleNameEndingWith("Event")
                .or().areEnums().and().haveSimpleNameEndingWith("Outcome")
                .or().areEnums().and().haveSimpleNameEndingWith("Violation")
                .should().implement(CountedEvent.class)
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.dbwire.core"));
    }
}
