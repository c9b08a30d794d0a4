package io.dbwire.core.config;

/**
 * Bounds of the TCP layer. Every bound, when hit, is counted and the affected flows are told of a gap.
 *
 * @param maxFlows                  connections tracked at once; the least recently active is evicted beyond it
 * @param maxBufferedBytesPerFlow   out-of-order bytes held per direction of a flow before a gap is declared
 * @param maxBufferedBytesTotal     out-of-order bytes held across all flows
 * @param idleTimeoutMicros         packet time without traffic after which a flow is closed
 * @param reorderWindowMicros       packet time a hole the peer acknowledged (or a segment held for peer bytes) may
 *                                  wait for late packets before it is declared lost (docs/reassembly.md)
 */
public record TcpConfig(int maxFlows, int maxBufferedBytesPerFlow, long maxBufferedBytesTotal, long idleTimeoutMicros,
        long reorderWindowMicros) {
    /** Reordering through a load balancer or two mirror sessions stays within a few milliseconds. */
    public static final long DEFAULT_REORDER_WINDOW_MICROS = 10_000L;

    public TcpConfig {
        if (reorderWindowMicros < 0) {
            throw new IllegalArgumentException("reorderWindowMicros: " + reorderWindowMicros + " (expected: >= 0)");
        }
    }

    /** With the default reorder window. */
    public TcpConfig(int maxFlows, int maxBufferedBytesPerFlow, long maxBufferedBytesTotal, long idleTimeoutMicros) {
        this(maxFlows, maxBufferedBytesPerFlow, maxBufferedBytesTotal, idleTimeoutMicros,
                DEFAULT_REORDER_WINDOW_MICROS);
    }

    public static TcpConfig defaults() {
        return new TcpConfig(262_144, 1 << 20, 256L << 20, 600_000_000L);
    }
}
