package io.dbwire.core.tcp;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/** What the TCP layer saw or did, counted in {@link TcpTracker#counters()}. A closed set: metrics key on it. */
public enum TcpEvent implements CountedEvent {
    /** Segments carrying payload (captured or announced) in a tracked connection. */
    SEGMENTS(VOLUME),
    /**
     * Packets dropped as the second mirror copy of one just seen (same flow, seq, ack, flags, lengths and
     * {@code DecodedPacket.copyDigest}), typically because the ENIs at both ends are mirrored.
     */
    MIRROR_DUPLICATE,
    /**
     * Segments held back because they acknowledged bytes of the other direction not seen yet (the two
     * directions reached the sensor out of order); delivered once those bytes arrived.
     */
    HELD_FOR_PEER(VOLUME),
    /** Held segments released without the peer bytes they acknowledged: the peer got a gap for them. */
    HOLD_EXPIRED,
    /**
     * Segments that should have waited for the peer but were delivered at once, in arrival order, because held
     * bytes had reached {@code tcp.max_buffered_bytes_total}.
     */
    HOLD_OVER_TOTAL,
    /** Segments that brought no new byte: retransmissions and exact duplicates, dropped. */
    RETRANSMISSION(VOLUME),
    /** Segments that partly overlapped bytes already held or delivered; only the new bytes were kept. */
    PARTIAL_OVERLAP(VOLUME),
    /** Overlapping bytes that differed from the first copy (the first copy wins). */
    OVERLAP_CONFLICT,
    /** Segments that arrived ahead of a hole and were copied into the reorder buffer. */
    OUT_OF_ORDER(VOLUME),
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
    /**
     * Packets the mirror lost in the client-to-server direction, estimated: each hole's bytes over the largest
     * payload seen in that direction (the sender's segment size), rounded up, at least one per hole.
     */
    GAP_PACKETS_CLIENT_TO_SERVER,
    /** Packets the mirror lost in the server-to-client direction, estimated the same way. */
    GAP_PACKETS_SERVER_TO_CLIENT,
    /** Connections that had at least one gap, counted at their first gap (once per connection). */
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
    IDLE_CLOSED(VOLUME),
    /** Connections closed by a FIN in both directions. */
    FIN_CLOSED(VOLUME),
    /** Connections closed by a RST. */
    RST_CLOSED(VOLUME),
    /** Connections closed because a SYN with a new initial sequence number reused their tuple. */
    PORT_REUSE(VOLUME),
    /**
     * Packets (other than a SYN) for a connection closed by FIN or RST under a second before: late mirror copies
     * and retransmissions of its last packets, dropped instead of opening a new mid-stream connection.
     */
    AFTER_CLOSE(VOLUME),
    /** Connections closed by {@link TcpTracker#closeAll(long)}. */
    END_OF_INPUT_CLOSED(VOLUME),
    /** Packets of flows on no database port (no table entry is made for them). */
    NOT_DATABASE(VOLUME),
    /** Connections the listener factory declined (kept as a cheap negative entry). */
    DECLINED_BY_FACTORY(VOLUME),
    /** Packets without payload or SYN for a flow not in the table (pure ACK, FIN, RST): nothing is opened. */
    UNTRACKED_CONTROL(VOLUME);

    private final Kind kind;

    TcpEvent() {
        this(Kind.PROBLEM);
    }

    TcpEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "tcp";
    }
}
