package io.dbwire.daemon.config;

import io.dbwire.core.config.MemoryConfig;

/**
 * The heap the engine's bounded state may take: {@code memory.budget_bytes} when set, else
 * {@code memory.max_heap_fraction} of the JVM's maximum heap; and the bounds derived from it when the
 * configuration leaves them null. Every table and buffer of the engine draws from this one total
 * ({@link io.dbwire.core.memory.MemoryBudget}, one slice per shard thread) and sheds its oldest state, counted,
 * when it is short. The budget also sizes the flow table, at {@link MemoryConfig#BYTES_PER_FLOW} a flow
 * ({@link MemoryConfig#derivedMaxFlows}), so the budget's shedding ({@code memory.flow_evicted}) decides how many
 * connections are held; an explicit tcp.max_flows below that evicts at the table ({@code tcp.evicted_flows}).
 *
 * @param explicitBytes {@code memory.budget_bytes}, or null
 */
public record MemoryBudget(long maxHeapBytes, double fraction, Long explicitBytes) {
    public static final double MIN_FRACTION = 0.05;
    public static final double MAX_FRACTION = 0.9;
    /** Below this the engine cannot hold even a few hundred connections. */
    public static final long MIN_BUDGET_BYTES = 4L << 20;
    static final int MIN_FLOWS = MemoryConfig.derivedMaxFlows(0);

    public MemoryBudget(long maxHeapBytes, double fraction) {
        this(maxHeapBytes, fraction, null);
    }

    /** The budget of this JVM under {@code config}'s memory section. */
    public static MemoryBudget of(DaemonConfig config) {
        return new MemoryBudget(Runtime.getRuntime().maxMemory(), config.memory().maxHeapFraction(),
                config.memory().budgetBytes());
    }

    public long bytes() {
        return explicitBytes != null ? explicitBytes : (long) (maxHeapBytes * fraction);
    }

    /** The engine's side of it. */
    public MemoryConfig engine() {
        return new MemoryConfig(bytes());
    }

    /** tcp.max_flows when the configuration leaves it null. */
    public int maxFlows() {
        return MemoryConfig.derivedMaxFlows(bytes());
    }
}
