package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile floods through the whole engine in a child JVM with a 256 MiB heap ({@link MemoryFlood}): the memory
 * budget (half the heap) is the only bound that can hold, since the flow bound is set to 1 M. Each must end
 * normally (no escaped exception, no OutOfMemoryError), keep the heap it retains after GC under the budget at
 * every checkpoint, count what it shed ({@code memory.*}, or the layer's own drop counter), give every byte back
 * at the end of input (nothing charged but the flow table's slot array), and write only valid JSON lines.
 * docs/operations.md has the table these figures come from.
 */
class MemoryFloodTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "flows, 1000000, memory.flow_evicted",
        "half_open, 500000, memory.flow_evicted",
        "postgres_header_only, 200000, memory.flow_evicted",
        "mysql_header_only, 200000, memory.flow_evicted",
        "fragments, 500000, decap.fragment_evicted",
        "tls_sessions, 100000, memory.flow_evicted",
        "prepared_statements, 2000, memory.flow_evicted",
    })
    void theHeapStaysUnderTheBudgetAndSheddingIsCounted(String scenario, int count, String shedCounter)
            throws Exception {
        Path out = dir.resolve(scenario + ".jsonl");
        Map<String, String> r = runChild(scenario, count, out);
        assertThat(r.get("exit")).as("child output %s", r).isEqualTo("0");
        assertThat(Long.parseLong(r.get("tried"))).isEqualTo(count);
        long budget = Long.parseLong(r.get("budget_bytes"));
        assertThat(Long.parseLong(r.get("heap_peak_bytes"))).as("heap retained after GC").isLessThan(budget);
        assertThat(Long.parseLong(r.get("charged_peak_bytes"))).as("charged to the budget")
                .isLessThanOrEqualTo(budget + 64 * 1024);
        assertThat(count(r.get("problems"), shedCounter)).as("shed and counted: %s", r.get("problems")).isPositive();
        assertThat(r.get("in_use_after_finish")).as("everything given back but the slot array")
                .matches("\\{flows=\\d+, reassembly=0, fragments=\\d+, message_buffers=0, statement_catalogs=0,"
                        + " tls_sessions=0, detection_entities=\\d+}");
        assertThat(validJsonLines(out)).isEqualTo(Long.parseLong(r.get("lines")));
    }

    private static long count(String problems, String key) {
        Matcher m = Pattern.compile(Pattern.quote(key) + "=(\\d+)").matcher(problems);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long validJsonLines(Path file) throws IOException {
        long n = 0;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                n++;
            }
        }
        return n;
    }

    private static Map<String, String> runChild(String scenario, int count, Path out)
            throws IOException, InterruptedException {
        return ChildJvm.run(List.of("-Xmx256m", "-XX:+UseSerialGC"), MemoryFlood.class, scenario, Integer.toString(count), out.toString());
    }
}
