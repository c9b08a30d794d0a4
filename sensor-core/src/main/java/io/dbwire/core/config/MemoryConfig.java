package io.dbwire.core.config;

/**
 * The engine's memory budget: the bytes its bounded state may take in total (flows, reassembly, fragments,
 * parser buffers, prepared-statement catalogs, TLS sessions, detection entities). Shard threads each get an
 * equal slice of what detection leaves ({@link #shardSlice}); detection on its own thread gets
 * {@link #DETECTION_SHARE} of it; with one thread detection's entities may hold that share of the whole. 0 means
 * unlimited (accounted, never shed), for tests and tools.
 */
public record MemoryConfig(long budgetBytes) {
    /** Detection's share when it runs on its own thread (per-entity baselines are bounded by maxEntities too). */
    public static final double DETECTION_SHARE = 0.125;
    /** The most of a packet thread's slice that incomplete IP datagrams may hold. */
    public static final double FRAGMENT_SHARE = 0.125;

    public MemoryConfig {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes: " + budgetBytes + " (expected: >= 0)");
        }
    }

    /**
     * Heap charged per tracked connection (TcpTracker charges it): flow entry, both reassemblers, protocol session
     * and framers, as a connection at rest holds them — logged in, a statement run, quiet for a few seconds so the
     * idle trim let its parsers' buffers go: 1.9 KB PostgreSQL, 2.0 KB MySQL, measured by LiveConnections in
     * sensor-core's tests (docs/operations.md), plus about 10 %. Framers' body buffers are charged by themselves
     * while they exist (message_buffers).
     */
    public static final int BYTES_PER_FLOW = 2_176;
    static final int MIN_FLOWS = 1_024;
    static final int MAX_FLOWS = 4_194_304;

    /**
     * tcp.max_flows when the configuration leaves it null: as many flows as the whole budget holds at
     * {@link #BYTES_PER_FLOW} a flow, so the budget (which closes the least recently active connections above
     * 90 %) decides how many are held, not a smaller table cap. The daemon's MemoryBudget and the engine's tests
     * share this one derivation.
     */
    public static int derivedMaxFlows(long budgetBytes) {
        long flows = budgetBytes / BYTES_PER_FLOW;
        return (int) Math.max(MIN_FLOWS, Math.min(MAX_FLOWS, flows));
    }

    public static MemoryConfig unlimited() {
        return new MemoryConfig(0);
    }

    public boolean limited() {
        return budgetBytes > 0;
    }

    /** One of {@code shards} packet threads' slice, detection running elsewhere; 0 = unlimited. */
    public long shardSlice(int shards) {
        return limited() ? Math.max(1, (long) (budgetBytes * (1 - DETECTION_SHARE)) / Math.max(1, shards)) : 0;
    }

    /** Detection's slice when it runs on its own thread; 0 = unlimited. */
    public long detectionSlice() {
        return limited() ? Math.max(1, (long) (budgetBytes * DETECTION_SHARE)) : 0;
    }
}
