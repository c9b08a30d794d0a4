package io.dbwire.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void theFlowTableTakesTheWholeBudgetAtTheBytesOfAConnectionAtRest() {
        assertThat(new MemoryBudget(512 * MIB, 0.5).maxFlows()).isEqualTo(123_361); // 256 MiB / 2 176 B
        assertThat(new MemoryBudget(2_048 * MIB, 0.5).maxFlows()).isEqualTo(493_447);
        assertThat(new MemoryBudget(4 * MIB, 0.5).maxFlows()).isEqualTo(MemoryBudget.MIN_FLOWS);
    }

    @Test
    void anExplicitMaxFlowsWinsOverTheBudget() throws Exception {
        DaemonConfig c = new ConfigLoader().parse("tcp: {max_flows: 1000}\n");
        assertThat(SensorConfigMapper.toSensorConfig(c).tcp().maxFlows()).isEqualTo(1000);
        DaemonConfig d = new ConfigLoader().parse("{}");
        assertThat(SensorConfigMapper.toSensorConfig(d).tcp().maxFlows()).isEqualTo(MemoryBudget.of(d).maxFlows());
    }

    @Test
    void anExplicitBudgetWinsOverTheFractionAndReachesTheEngine() throws Exception {
        DaemonConfig c = new ConfigLoader().parse("memory: {budget_bytes: 268435456}\n");
        assertThat(MemoryBudget.of(c).bytes()).isEqualTo(256 * MIB);
        assertThat(MemoryBudget.of(c).maxFlows()).isEqualTo(123_361);
        assertThat(SensorConfigMapper.toSensorConfig(c).memory().budgetBytes()).isEqualTo(256 * MIB);
        DaemonConfig d = new ConfigLoader().parse("{}");
        assertThat(SensorConfigMapper.toSensorConfig(d).memory().budgetBytes())
                .isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.5));
    }

    @Test
    void aBudgetTooSmallToHoldAnyConnectionIsRejected() {
        assertThatThrownBy(() -> new ConfigLoader().parse("memory: {budget_bytes: 1000}\n"))
                .hasMessageStartingWith("memory.budget_bytes: 1000");
    }

    @Test
    void aFractionOutsideTheRangeIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> new ConfigLoader().parse("memory: {max_heap_fraction: 1.5}\n"))
                .hasMessageStartingWith("memory.max_heap_fraction: 1.5");
    }
}
