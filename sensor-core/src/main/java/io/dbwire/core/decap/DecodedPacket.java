package io.dbwire.core.decap;

/**
 * A TCP segment as the decap layer found it inside a frame, possibly behind VLAN tags and a VXLAN or GENEVE
 * tunnel. One instance is reused for every packet (no allocation per packet): its fields are valid only until
 * the next decode into it.
 *
 * <p>Addresses are 128-bit values in two longs; an IPv4 address is stored IPv4-mapped ({@code ::ffff:a.b.c.d})
 * so that both families share one flow key shape.
 */
public final class DecodedPacket {
    /** Packet time, microseconds since the epoch. */
    public long tsMicros;
    /** VNI of the outermost VXLAN/GENEVE tunnel, or -1 when the packet was not tunnelled. */
    public int vni = -1;
    /** 4 or 6: the inner IP version. */
    public int ipVersion;

    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int srcPort;
    public int dstPort;

    /** TCP sequence and acknowledgement numbers, unsigned 32-bit values held in longs. */
    public long seq;
    public long ack;
    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
    public int tcpFlags;

    /** The frame's bytes; the payload is {@code data[payloadOffset, payloadOffset + payloadLength)}. */
    public byte[] data;
    public int payloadOffset;
    /** Payload bytes actually captured. */
    public int payloadLength;
    /** Payload bytes the IP header announced but the capture did not hold (snaplen or mirror truncation). */
    public int payloadMissing;

    /**
     * A digest of the header fields a sender changes between two transmissions of the same bytes but a mirror
     * copy keeps: IPv4 identification, TCP window, checksum, urgent pointer and options (timestamps). Equal
     * digests with equal seq/ack/flags/lengths mean "the same packet seen twice" (both ENIs mirrored).
     */
    public long copyDigest;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    public boolean hasFlag(int flag) {
        return (tcpFlags & flag) != 0;
    }

    public boolean isIpv4Mapped(boolean source) {
        long hi = source ? srcHi : dstHi;
        long lo = source ? srcLo : dstLo;
        return hi == 0L && (lo >>> 32) == 0xFFFFL;
    }

    public void reset() {
        tsMicros = 0;
        vni = -1;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = 0;
        seq = ack = 0;
        tcpFlags = 0;
        data = null;
        payloadOffset = payloadLength = payloadMissing = 0;
        copyDigest = 0;
    }
}
