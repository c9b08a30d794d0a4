package io.dbwire.daemon.config;

/**
 * The share of the heap the engine's bounded state may take ({@code memory.max_heap_fraction} of the JVM's maximum
 * heap), and the bounds derived from it when the configuration leaves them null. Half of the budget goes to the flow
 * table, at {@link #BYTES_PER_FLOW} a flow: the heap a flow costs as a SYN or header-only flood leaves it (flow,
 * reassembler, protocol session and framers; measured 2.9 KB, see docs/operations.md). The other half is left for
 * what a flow's traffic adds (reassembly holds, bounded by tcp.max_buffered_bytes_total; parser message buffers),
 * the receive queue and detection. When the table is full the least recently active flow is evicted and counted
 * ({@code tcp.evicted_flows}), so a flood of new flows sheds the oldest idle ones instead of exhausting the heap.
 */
public record MemoryBudget(long maxHeapBytes, double fraction) {
    public static final double MIN_FRACTION = 0.05;
    public static final double MAX_FRACTION = 0.9;
    static final long BYTES_PER_FLOW = 4_096;
    static final int MIN_FLOWS = 1_024;
    static final int MAX_FLOWS = 4_194_304;

    /** The budget of this JVM under {@code config}'s memory section. */
    public static MemoryBudget of(DaemonConfig config) {
        return new MemoryBudget(Runtime.getRuntime().maxMemory(), config.memory().maxHeapFraction());
    }

    public long bytes() {
        return (long) (maxHeapBytes * fraction);
    }

    /** tcp.max_flows when the configuration leaves it null. */
    public int maxFlows() {
        long flows = bytes() / 2 / BYTES_PER_FLOW;
        return (int) Math.max(MIN_FLOWS, Math.min(MAX_FLOWS, flows));
    }
}
