package io.dbwire.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sensor-core is a pure engine: bytes in, records and alerts out, on packet time. Sockets, files, capture
 * libraries and the wall clock belong to sensor-daemon; a replay must give the same output as live traffic.
 */
class CoreIsPureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dbwire.core");
    }

    @Test
    void noSocketsFilesOrCaptureLibraries() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.net..", "java.nio.channels..", "java.nio.file..", "io.netty..", "org.pcap4j..",
                        "io.dbwire.daemon..")
                .check(core);
    }

    @Test
    void noFileStreams() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(File.class, FileInputStream.class, FileOutputStream.class, RandomAccessFile.class)
                .check(core);
    }

    @Test
    void noWallClock() {
        noClasses()
                .should()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(LocalDateTime.class, "now")
                .orShould()
                .callMethod(OffsetDateTime.class, "now")
                .orShould()
                .callMethod(ZonedDateTime.class, "now")
                .orShould()
                .dependOnClassesThat()
                .belongToAnyOf(Clock.class)
                .check(core);
    }
}
