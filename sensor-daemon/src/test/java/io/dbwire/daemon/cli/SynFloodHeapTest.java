package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.daemon.fault.SynFlood;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 400 000 SYN-only flows through {@code replay} with the shipped defaults in a child JVM with a 512 MiB heap: the
 * memory budget (half the heap; the flow table is derived from all of it, 119 250 flows) closes the least recently
 * active flows above 90 %, each counted ({@code memory.flow_evicted}, plus {@code tcp.evicted_flows} should the
 * table fill first), and the run ends normally. Before the budget, the fixed 262 144 flows at about 2.9 KB each ran this heap out.
 */
class SynFloodHeapTest {
    private static final int FLOWS = 400_000;

    @TempDir
    Path dir;

    @Test
    void fourHundredThousandSynFlowsFitHalfAGibibyteWithDefaults() throws Exception {
        Path capture = SynFlood.write(dir.resolve("syn.pcap"), FLOWS);
        Path log = dir.resolve("out.txt");
        Path cfg = Files.writeString(dir.resolve("empty.yml"), "{}\n"); // the built-in defaults
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), DbwireCli.class.getName(),
                "replay", "--config", cfg.toString(), "--records", "/dev/null", capture.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("still running").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("packets=" + FLOWS + " ");
        long shed = count(out, "memory.flow_evicted") + count(out, "tcp.evicted_flows");
        // at most a derived table's worth (119 250 at this heap) held, at least 80 000 (80 % of the budget at 2 176 B)
        assertThat(shed).as(out).isBetween(FLOWS - 119_250L, FLOWS - 80_000L);
    }

    private static long count(String out, String key) {
        Matcher m = Pattern.compile(Pattern.quote(key) + "=(\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
