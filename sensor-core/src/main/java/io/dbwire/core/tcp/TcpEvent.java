package io.dbwire.core.tcp;

import java.util.Locale;

/** What the TCP layer saw or did, counted in {@link TcpTracker#counters()}. A closed set: metrics key on it. */
public enum TcpEvent {
    /** Segments carrying payload (captured or announced) in a tracked connection. */
    SEGMENTS,
    /**
     * Packets dropped as the second mirror copy of one just seen (same flow, seq, ack, flags, lengths and
     * {@code DecodedPacket.copyDigest}), typically because the ENIs at both ends are mirrored.
     */
    MIRROR_DUPLICATE,
    /**
     * Segments held back because they acknowledged bytes of the other direction not seen yet (the two
     * directions reached the sensor out of order); delivered once those bytes arrived.
     */
    HELD_FOR_PEER,
    /** Held segments released without the peer bytes they acknowledged: the peer got a gap for them. */
    HOLD_EXPIRED,
    /** Segments that brought no new byte: retransmissions and exact duplicates, dropped. */
    RETRANSMISSION,
    /** Segments that partly overlapped bytes already held or delivered; only the new bytes were kept. */
    PARTIAL_OVERLAP,
    /** Overlapping bytes that differed from the first copy (the first copy wins). */
    OVERLAP_CONFLICT,
    /** Segments that arrived ahead of a hole and were copied into the reorder buffer. */
    OUT_OF_ORDER,
    /** Gaps reported to listeners, whatever the cause. */
    GAP_EVENTS,
    /** Bytes reported missing to listeners. */
    GAP_BYTES,
    /** Holes given up because the peer acknowledged beyond them (the mirror dropped what the endpoint got). */
    GAP_ACKED,
    /** Gaps reported in the client-to-server direction (one per hole: a hole may span several packets). */
    GAP_EVENTS_CLIENT_TO_SERVER,
    /** Gaps reported in the server-to-client direction. */
    GAP_EVENTS_SERVER_TO_CLIENT,
    /** Bytes reported missing in the client-to-server direction (requests the mirror lost). */
    GAP_BYTES_CLIENT_TO_SERVER,
    /** Bytes reported missing in the server-to-client direction (answers the mirror lost). */
    GAP_BYTES_SERVER_TO_CLIENT,
    /** Connections that had at least one gap, counted when they close. */
    CONNECTIONS_WITH_GAPS,
    /** Segments whose capture held fewer bytes than the IP header announced. */
    TRUNCATED_SEGMENTS,
    /** Holes given up because a direction's reorder buffer hit {@code maxBufferedBytesPerFlow}. */
    BUFFER_LIMIT,
    /** Holes given up because the shared reorder budget {@code maxBufferedBytesTotal} was exhausted. */
    BUDGET_EXHAUSTED,
    /** Connections closed to make room at {@code maxFlows}. */
    EVICTED_FLOWS,
    /** Connections closed after {@code idleTimeoutMicros} of packet time without traffic. */
    IDLE_CLOSED,
    /** Connections closed by a FIN in both directions. */
    FIN_CLOSED,
    /** Connections closed by a RST. */
    RST_CLOSED,
    /** Connections closed because a SYN with a new initial sequence number reused their tuple. */
    PORT_REUSE,
    /**
     * Packets (other than a SYN) for a connection closed by FIN or RST under a second before: late mirror copies
     * and retransmissions of its last packets, dropped instead of opening a new mid-stream connection.
     */
    AFTER_CLOSE,
    /** Connections closed by {@link TcpTracker#closeAll(long)}. */
    END_OF_INPUT_CLOSED,
    /** Packets of flows on no database port (no table entry is made for them). */
    NOT_DATABASE,
    /** Connections the listener factory declined (kept as a cheap negative entry). */
    DECLINED_BY_FACTORY,
    /** Packets without payload or SYN for a flow not in the table (pure ACK, FIN, RST): nothing is opened. */
    UNTRACKED_CONTROL;

    /** The snake_case name used in metrics and summaries, e.g. {@code gap_bytes}. */
    public String metricName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
