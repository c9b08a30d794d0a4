package io.dbwire.core.tcp;

import io.dbwire.core.memory.MemoryAccount;

/**
 * One tracked connection. The key is the 5-tuple in canonical order (endpoint A sorts before B), so both
 * directions of a connection find the same entry. The VNI is not part of the key: when the ENIs at both ends are
 * mirrored, each packet arrives twice under two VNIs, and both copies must find this one flow; {@link #vni} is
 * the first one seen. A flow whose listener is {@code null} is a negative
 * entry: the factory declined it, and we only remember that so as not to ask again per packet.
 */
final class Flow {
    /**
     * Packets remembered per flow for mirror-copy detection. The two copies of a packet are a few packets apart
     * at most (two mirror sessions of the same VPC), so a short ring suffices; a copy that falls out of it is
     * still harmless, dropped by the reassembler as a retransmission.
     */
    static final int RECENT = 8;

    final long aHi;
    final long aLo;
    final long bHi;
    final long bLo;
    final int aPort;
    final int bPort;
    /** VNI of the first packet seen (reported on records); copies under other VNIs join this flow. */
    final int vni;
    final int hash;

    /** Whether endpoint A is the client. */
    final boolean clientIsA;
    final long id;
    /** ISN of the client's SYN, or -1 when the connection was picked up without one. */
    long clientSynSeq = -1;
    StreamListener listener;
    /** What this connection holds of the shard's memory budget; given back in one step when it closes. */
    MemoryAccount memory = MemoryAccount.NONE;
    StreamReassembler toServer;
    StreamReassembler toClient;
    /** Segments waiting for peer bytes they acknowledge, per direction, or null (almost always). */
    HeldSegments heldFromClient;
    HeldSegments heldFromServer;
    /** Set while {@code close} runs, so segments released from the holds cannot close the flow again. */
    boolean closing;
    /** When both FINs were seen with bytes before one still missing ({@link FinWait}); else NOT_WAITING. */
    long finsSeenMicros = FinWait.NOT_WAITING;
    long lastSeenMicros;

    /**
     * Fingerprints (even slots) and times (odd slots) of the last {@link #RECENT} packets, to recognise a mirror
     * copy of one of them; null while the flow is quiet ({@link #forgetRecent}), made again by its next packet.
     */
    private long[] recent;
    private int recentNext;

    /** Least-recently-active list, owned by {@link FlowTable}. */
    Flow lruPrev;
    Flow lruNext;

    Flow(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int vni, int hash, boolean clientIsA, long id) {
        this.aHi = aHi;
        this.aLo = aLo;
        this.aPort = aPort;
        this.bHi = bHi;
        this.bLo = bLo;
        this.bPort = bPort;
        this.vni = vni;
        this.hash = hash;
        this.clientIsA = clientIsA;
        this.id = id;
    }

    boolean matches(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return this.aLo == aLo && this.bLo == bLo && this.aPort == aPort && this.bPort == bPort
                && this.aHi == aHi && this.bHi == bHi;
    }

    /** True if a packet with this fingerprint was seen in this flow less than {@code windowMicros} ago. */
    boolean seenRecently(long print, long now, long windowMicros) {
        long[] r = recent;
        if (r == null) {
            return false;
        }
        for (int i = 0; i < 2 * RECENT; i += 2) {
            if (r[i] == print && r[i + 1] != 0 && Math.abs(now - r[i + 1]) < windowMicros) {
                return true;
            }
        }
        return false;
    }

    void remember(long print, long now) {
        if (recent == null) {
            recent = new long[2 * RECENT];
        }
        recent[2 * recentNext] = print;
        recent[2 * recentNext + 1] = now == 0 ? 1 : now; // 0 marks an empty slot
        recentNext = (recentNext + 1) % RECENT;
    }

    /**
     * The flow has been quiet for longer than the mirror-copy window: no packet still to come can be a copy of
     * one remembered, so the ring goes (the idle trim) and the next packet starts a new one.
     */
    void forgetRecent() {
        recent = null;
        recentNext = 0;
    }

    /** Packet time this connection closed by FIN or RST; the entry then only absorbs late packets. */
    long closedMicros = Long.MIN_VALUE;

    boolean tombstone() {
        return closedMicros != Long.MIN_VALUE;
    }

    boolean declined() {
        return listener == null;
    }
}
