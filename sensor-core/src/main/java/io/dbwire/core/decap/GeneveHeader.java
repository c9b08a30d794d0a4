package io.dbwire.core.decap;

/**
 * GENEVE header, RFC 8926 section 3.4 (https://www.rfc-editor.org/rfc/rfc8926#section-3.4). Used by AWS Gateway
 * Load Balancer (UDP 6081), which puts its flow cookie in options we skip.
 *
 * <pre>
 *  0                   1                   2                   3
 * +---+-----------+-+-+-----------+-------------------------------+
 * |Ver| Opt Len   |O|C|  Rsvd.    |          Protocol Type        |
 * +---+-----------+-+-+-----------+---------------+---------------+
 * |        Virtual Network Identifier (VNI)       |   Reserved    |
 * +-----------------------------------------------+---------------+
 * |               Variable-Length Options (Opt Len * 4 bytes)     |
 * +---------------------------------------------------------------+
 * </pre>
 * The C bit (critical options present) obliges a tunnel endpoint, not a passive observer; we still decode.
 * The O bit marks a control message, whose payload is not user traffic: it is dropped.
 */
final class GeneveHeader {
    static final int MIN_LENGTH = 8;
    static final int VERSION = 0;

    private GeneveHeader() {}

    /** Needs {@link #MIN_LENGTH} bytes, as do all readers here. */
    static int version(byte[] b, int off) {
        return Bytes.u8(b, off) >>> 6;
    }

    /** Fixed header plus options, in bytes (at most 8 + 63 * 4 = 260). */
    static int headerLength(byte[] b, int off) {
        return MIN_LENGTH + (Bytes.u8(b, off) & 0x3F) * 4;
    }

    static boolean isControl(byte[] b, int off) {
        return (Bytes.u8(b, off + 1) & 0x80) != 0;
    }

    /** An EtherType: 0x6558 for an inner Ethernet frame, 0x0800/0x86DD for a bare IP packet. */
    static int protocolType(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    static int vni(byte[] b, int off) {
        return Bytes.u24(b, off + 4);
    }
}
