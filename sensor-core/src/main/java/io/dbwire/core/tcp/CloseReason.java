package io.dbwire.core.tcp;

/** Why the TCP layer stopped tracking a connection. */
public enum CloseReason {
    /** FIN seen in both directions. */
    FIN,
    /** RST seen from either side. */
    RST,
    /** No packet for longer than the idle timeout (packet time). */
    IDLE_TIMEOUT,
    /** Evicted to make room (flow table or memory bound). */
    EVICTED,
    /** A new SYN reused the tuple of a tracked connection. */
    PORT_REUSE,
    /** End of input (replay finished) or shutdown. */
    END_OF_INPUT
}
