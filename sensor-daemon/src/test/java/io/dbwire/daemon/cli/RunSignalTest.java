package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbwire run} as its own process: SIGTERM is a clean stop with exit code 0 (systemd: no failure). */
class RunSignalTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsRunWithExit0() throws Exception {
        Path cfg = Files.writeString(dir.resolve("dbwire.yml"),
                "listen: {address: 127.0.0.1, vxlan_port: 0}\n"
                        + "metrics: {port: null}\n"
                        + "alerts: {file: " + dir.resolve("alerts.jsonl") + "}\n"
                        + "state: {directory: " + dir + "}\n");
        Path log = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "run", "--config", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("dbwire started")) {
                assertThat(p.isAlive()).as("run exited early: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("no start line: %s", Files.readString(log)).isLessThan(deadline);
                Thread.sleep(50);
            }
            p.destroy(); // SIGTERM on Unix
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("dbwire stopped");
        } finally {
            p.destroyForcibly();
        }
    }
}
