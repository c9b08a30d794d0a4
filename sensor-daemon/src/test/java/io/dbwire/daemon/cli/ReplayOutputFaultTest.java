package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.daemon.fault.TinyDisk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} onto a full disk: one line naming the output and the reason, exit 74, no stack trace. */
class ReplayOutputFaultTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recordsToDevFullIsOneLineAndExit74() {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full");

        int status = run("replay", "--records", "/dev/full", "--alerts", dir.resolve("alerts.jsonl").toString(),
                CAPTURE.toString());

        assertThat(status).as(err()).isEqualTo(ExitCodes.OUTPUT_FAILED);
        assertThat(err()).contains("dbwire: --records /dev/full: cannot write (No space left on device); ")
                .contains("lines lost; replay stopped")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void recordsOnAFullTmpfsAreCutBackToAWholeLine() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 4096)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root");
            Path records = disk.dir().resolve("records.jsonl");

            int status = run("replay", "--records", records.toString(), "--alerts", "-", CAPTURE.toString());

            assertThat(status).as(err()).isEqualTo(ExitCodes.OUTPUT_FAILED);
            assertThat(err()).contains("dbwire: --records " + records + ": cannot write (No space left on device)")
                    .doesNotContain("\tat ");
            // The 30 records fit the writer's buffer, so its one write failed part-way (4 KiB fit): the torn
            // bytes are cut off again and every record is counted as lost.
            assertThat(err()).contains("; 30 lines lost; replay stopped");
            assertThat(Files.size(records)).isZero();
        }
    }
}
