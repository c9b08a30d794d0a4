package io.dbwire.core.config;

/**
 * Bounds of the TCP layer. Every bound, when hit, is counted and the affected flows are told of a gap.
 *
 * @param maxFlows                  connections tracked at once; the least recently active is evicted beyond it
 * @param maxBufferedBytesPerFlow   out-of-order bytes held per direction of a flow before a gap is declared
 * @param maxBufferedBytesTotal     out-of-order bytes held across all flows
 * @param idleTimeoutMicros         packet time without traffic after which a flow is closed
 */
public record TcpConfig(int maxFlows, int maxBufferedBytesPerFlow, long maxBufferedBytesTotal, long idleTimeoutMicros) {
    public static TcpConfig defaults() {
        return new TcpConfig(262_144, 1 << 20, 256L << 20, 600_000_000L);
    }
}
