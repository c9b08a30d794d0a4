package io.dbwire.core.tcp;

import io.dbwire.core.decap.DecodedPacket;

/**
 * Builds segments of one test connection and feeds them to a tracker. Like the decap layer, it reuses one
 * {@link DecodedPacket} and one frame buffer, and scribbles over the buffer after each call: a tracker that kept
 * a reference to packet bytes instead of copying them would deliver garbage and fail the test.
 */
final class Wire {
    static final int FIN = DecodedPacket.FIN;
    static final int SYN = DecodedPacket.SYN;
    static final int RST = DecodedPacket.RST;
    static final int ACK = DecodedPacket.ACK;
    /** Bytes of "headers" before the payload in the frame, so offsets are exercised. */
    private static final int HEADER = 54;

    private final TcpTracker tracker;
    private final DecodedPacket packet = new DecodedPacket();
    private byte[] frame = new byte[2048];
    long clientLo;
    final long serverLo;
    int clientPort;
    final int serverPort;
    int vni = -1;
    /**
     * Stands for the IP identification a sender increments per packet: every send gets a new
     * {@code copyDigest}, so two sends of equal segments are retransmissions; {@link #copy} repeats one.
     */
    private long digest;
    private boolean repeatDigest;

    /** An IPv4 connection {@code 10.0.0.c:clientPort -> 10.0.0.s:serverPort}. */
    Wire(TcpTracker tracker, int clientHost, int clientPort, int serverHost, int serverPort) {
        this.tracker = tracker;
        this.clientLo = v4(10, 0, 0, clientHost);
        this.serverLo = v4(10, 0, 0, serverHost);
        this.clientPort = clientPort;
        this.serverPort = serverPort;
    }

    /** The low long of an IPv4-mapped address {@code ::ffff:a.b.c.d}. */
    static long v4(int a, int b, int c, int d) {
        return 0xFFFF_0000_0000L | ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    void send(boolean fromClient, long ts, int flags, long seq, long ack, byte[] payload) {
        send(fromClient, ts, flags, seq, ack, payload, 0, payload.length, 0);
    }

    void send(boolean fromClient, long ts, int flags, long seq, long ack) {
        send(fromClient, ts, flags, seq, ack, new byte[0]);
    }

    void send(boolean fromClient, long ts, int flags, long seq, long ack, byte[] src, int off, int len, int missing) {
        if (frame.length < HEADER + len) {
            frame = new byte[HEADER + len];
        }
        System.arraycopy(src, off, frame, HEADER, len);
        DecodedPacket p = packet;
        p.reset();
        p.tsMicros = ts;
        p.vni = vni;
        p.ipVersion = 4;
        p.srcLo = fromClient ? clientLo : serverLo;
        p.dstLo = fromClient ? serverLo : clientLo;
        p.srcPort = fromClient ? clientPort : serverPort;
        p.dstPort = fromClient ? serverPort : clientPort;
        p.seq = seq & 0xFFFF_FFFFL;
        p.ack = ack & 0xFFFF_FFFFL;
        p.tcpFlags = flags;
        p.data = frame;
        p.payloadOffset = HEADER;
        p.payloadLength = len;
        p.payloadMissing = missing;
        p.copyDigest = repeatDigest ? digest : ++digest;
        tracker.onPacket(p);
        java.util.Arrays.fill(frame, (byte) 0x5A);
    }

    /** A mirror copy of the previous send, as a second mirror session delivers it under {@code copyVni}. */
    void copy(int copyVni, boolean fromClient, long ts, int flags, long seq, long ack, byte[] payload) {
        int own = vni;
        vni = copyVni;
        repeatDigest = true;
        try {
            send(fromClient, ts, flags, seq, ack, payload, 0, payload.length, 0);
        } finally {
            vni = own;
            repeatDigest = false;
        }
    }

    /** SYN, SYN+ACK, ACK with the given initial sequence numbers. */
    void handshake(long ts, long clientIsn, long serverIsn) {
        send(true, ts, SYN, clientIsn, 0);
        send(false, ts, SYN | ACK, serverIsn, clientIsn + 1);
        send(true, ts, ACK, clientIsn + 1, serverIsn + 1);
    }
}
