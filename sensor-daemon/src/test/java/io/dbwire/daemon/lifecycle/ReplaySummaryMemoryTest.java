package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.pipeline.SensorStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySummaryMemoryTest {
    @Test
    void theSummaryEndsWithTheBudgetAndItsPeaksPerConsumer() {
        MemoryBudget budget = new MemoryBudget(1_000_000);
        budget.charge(MemoryConsumer.FLOWS, 8_192);
        budget.charge(MemoryConsumer.MESSAGE_BUFFERS, 1_000);
        budget.release(MemoryConsumer.MESSAGE_BUFFERS, 1_000);
        SensorStats stats = new SensorStats(1, 2, 1, 0, 0, Map.of("memory.flow_evicted", 4L),
                Map.of("memory.flow_evicted", 4L), budget.report());

        String text = new ReplaySummary(1, stats, Map.of(), 1_000_000L).format();

        assertThat(text).contains("dbwire replay: problems: memory.flow_evicted=4")
                .contains("dbwire replay: memory: budget_bytes=1000000 peak_bytes=9192 peak_by_consumer: flows=8192"
                        + " reassembly=0 fragments=0 message_buffers=1000 statement_catalogs=0 tls_sessions=0"
                        + " detection_entities=0");
    }

    @Test
    void withoutABudgetThereIsNoMemoryLine() {
        String text = new ReplaySummary(1, SensorStats.EMPTY, Map.of(), 1_000_000L).format();
        assertThat(text).doesNotContain("memory:").endsWith("problems: none" + System.lineSeparator());
    }
}
