package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.fault.SynFlood;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real OutOfMemoryError in a child JVM started as the jar would be, without {@code -XX:+ExitOnOutOfMemoryError}:
 * {@code replay} of a SYN flood with the flow table bound lifted far beyond a 32 MiB heap must end promptly with
 * exit 70 and one line, not thrash or carry on half-alive.
 */
class OutOfMemoryExitTest {
    @TempDir
    Path dir;

    @Test
    void replayEndsWithExit70AndOneLineWhenTheHeapRunsOut() throws Exception {
        Path capture = SynFlood.write(dir.resolve("syn.pcap"), 300_000);
        // A flow bound and a memory budget far beyond the heap: nothing sheds, so the heap runs out.
        Path cfg = Files.writeString(dir.resolve("dbwire.yml"),
                "tcp: {max_flows: 2000000}\nmemory: {budget_bytes: 17179869184}\n");
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "replay", "--config", cfg.toString(), "--records", "/dev/null", capture.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("still running: %s", Files.readString(log)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(FatalErrors.EXIT_STATUS);
            assertThat(out).contains("dbwire: fatal: java.lang.OutOfMemoryError").doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }
}
