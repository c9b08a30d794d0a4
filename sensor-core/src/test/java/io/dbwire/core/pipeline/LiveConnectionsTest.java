package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10's "100 000 live connections fit in 512 MiB of heap", with the shipped defaults (budget half the heap,
 * tcp.max_flows derived): in a child JVM at {@code -Xmx512m} ({@link LiveConnections}) 100 000 logged-in
 * connections each run a statement and go idle, then each runs one more. None may be evicted, every statement
 * is recorded, and the heap the idle connections retain stays under the budget (printed per connection).
 *
 * <p>About 20 s a protocol (a connection at rest retains about 2.0 KB after the idle trim, and is charged
 * MemoryConfig.BYTES_PER_FLOW); docs/operations.md, "Memory budget", has the figures and how to measure them.
 */
class LiveConnectionsTest {
    private static final int CONNECTIONS = 100_000;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aHundredThousandIdleConnectionsAreHeldAndRecorded(String scenario) throws Exception {
        assertHeldAndRecorded(runChild(scenario, List.of()));
    }

    /**
     * All 100 000 log in within one second of packet time (10 µs apart), so none has been quiet for the idle trim:
     * over the budget's high mark they are trimmed, least recently active first, instead of evicted. Both
     * protocols in one child (alternating), to keep the build's time.
     */
    @Test
    void aHundredThousandConnectionsThatLoggedInWithinOneSecondAreHeldAndRecorded() throws Exception {
        assertHeldAndRecorded(runChild("mixed", List.of("-Dlive.spacingMicros=10")));
    }

    private static void assertHeldAndRecorded(Map<String, String> r) {
        assertThat(r.get("exit")).as("child output %s", r).isEqualTo("0");
        assertThat(count(r.get("problems"), "memory.flow_evicted")).as(r.get("problems")).isZero();
        assertThat(count(r.get("problems"), "tcp.evicted_flows")).as(r.get("problems")).isZero();
        assertThat(Long.parseLong(r.get("active_flows_idle"))).isEqualTo(CONNECTIONS);
        assertThat(Long.parseLong(r.get("logins"))).isEqualTo(CONNECTIONS);
        assertThat(Long.parseLong(r.get("statements"))).isEqualTo(2L * CONNECTIONS);
        assertThat(Long.parseLong(r.get("ok_statements"))).isEqualTo(2L * CONNECTIONS);
        assertThat(Long.parseLong(r.get("heap_idle_bytes"))).as("heap retained after GC")
                .isLessThan(Long.parseLong(r.get("budget_bytes")));
    }

    private static long count(String problems, String key) {
        Matcher m = Pattern.compile(Pattern.quote(key) + "=(\\d+)").matcher(problems);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Map<String, String> runChild(String scenario, List<String> properties)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        options.addAll(properties);
        return ChildJvm.run(options, LiveConnections.class, scenario, Integer.toString(CONNECTIONS));
    }
}
