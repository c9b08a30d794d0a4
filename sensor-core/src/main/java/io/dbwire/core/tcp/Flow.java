package io.dbwire.core.tcp;

/**
 * One tracked connection. The key is the 5-tuple plus VNI in canonical order (endpoint A sorts before B), so
 * both directions of a connection find the same entry. A flow whose listener is {@code null} is a negative
 * entry: the factory declined it, and we only remember that so as not to ask again per packet.
 */
final class Flow {
    final long aHi;
    final long aLo;
    final long bHi;
    final long bLo;
    final int aPort;
    final int bPort;
    final int vni;
    final int hash;

    /** Whether endpoint A is the client. */
    final boolean clientIsA;
    final long id;
    /** ISN of the client's SYN, or -1 when the connection was picked up without one. */
    long clientSynSeq = -1;
    StreamListener listener;
    StreamReassembler toServer;
    StreamReassembler toClient;
    long lastSeenMicros;

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

    boolean matches(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int vni) {
        return this.aLo == aLo && this.bLo == bLo && this.aPort == aPort && this.bPort == bPort
                && this.aHi == aHi && this.bHi == bHi && this.vni == vni;
    }

    boolean declined() {
        return listener == null;
    }
}
