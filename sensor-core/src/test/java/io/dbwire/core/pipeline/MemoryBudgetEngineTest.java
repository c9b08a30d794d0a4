package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.MemoryConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.TcpConfig;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.tcp.TcpTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole engine under a small memory budget, in process: while a flood runs, what is charged never passes the
 * budget by more than one flow; what was shed is counted; and at the end of input every connection gave back all
 * it held (only the flow table's slot array, detection's entities and fragments that wait for their timeout stay
 * charged). The child-JVM floods ({@link MemoryFloodTest}) show the same against the real heap.
 */
class MemoryBudgetEngineTest {
    private static final long BUDGET = 2L << 20;

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "flows, 5000, memory.flow_evicted",
        "half_open, 5000, memory.flow_evicted",
        "postgres_header_only, 3000, memory.flow_evicted",
        "mysql_header_only, 3000, memory.flow_evicted",
        "tls_sessions, 1000, memory.flow_evicted",
        "prepared_statements, 40, memory.flow_evicted",
        "fragments, 5000, memory.fragment_dropped",
    })
    void aFloodStaysWithinTheBudgetCountsWhatItShedsAndLeaksNothing(String scenario, int count, String shed) {
        SensorConfig d = SensorConfig.defaults();
        TcpConfig t = d.tcp();
        SensorConfig config = new SensorConfig(d.decap(), new TcpConfig(4_096, t.maxBufferedBytesPerFlow(),
                t.maxBufferedBytesTotal(), t.idleTimeoutMicros()), d.protocols(), d.detection(),
                new MemoryConfig(BUDGET));
        List<String> lines = new ArrayList<>();
        Sensor sensor = new Sensor(config, r -> lines.add(r.toString()), a -> { });
        IntConsumer one = MemoryFlood.scenario(scenario, new FloodTraffic(sensor));
        for (int i = 0; i < count; i++) {
            one.accept(i);
        }
        MemoryReport during = sensor.stats().memory();
        assertThat(during.limitBytes()).isEqualTo(BUDGET);
        assertThat(during.highWaterBytes()).isLessThanOrEqualTo(BUDGET + TcpTracker.FLOW_BYTES);
        assertThat(sensor.stats().problems()).containsKey(shed);

        sensor.finish();
        MemoryReport after = sensor.stats().memory();
        for (MemoryConsumer c : List.of(MemoryConsumer.REASSEMBLY, MemoryConsumer.MESSAGE_BUFFERS,
                MemoryConsumer.STATEMENT_CATALOGS, MemoryConsumer.TLS_SESSIONS)) {
            assertThat(after.inUse().get(c)).as(c.label()).isZero();
        }
        // the slot array only: it starts at 4 096 slots and doubles with the flows, up to 2 x max_flows
        assertThat(after.inUse().get(MemoryConsumer.FLOWS)).as("the slot array only").isIn(4_096 * 4L, 8_192 * 4L);
    }
}
