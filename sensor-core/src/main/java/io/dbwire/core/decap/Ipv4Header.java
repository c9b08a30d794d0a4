package io.dbwire.core.decap;

/**
 * IPv4 header, RFC 791 section 3.1 (https://www.rfc-editor.org/rfc/rfc791#section-3.1). The checksum is not
 * verified: mirrored packets often carry checksums a NIC would have filled in later (offload).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |   DSCP/ECN    |         Total Length          |
 * +-------+-------+---------------+-----+-------------------------+
 * |        Identification         |Flags|     Fragment Offset     |
 * +---------------+---------------+-----+-------------------------+
 * |      TTL      |   Protocol    |        Header Checksum        |
 * +---------------+---------------+-------------------------------+
 * |                        Source Address                         |
 * +---------------------------------------------------------------+
 * |                     Destination Address                       |
 * +---------------------------------------------------------------+
 * |                    Options (IHL > 5)                          |
 * </pre>
 */
final class Ipv4Header {
    static final int MIN_LENGTH = 20;

    private static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4Header() {}

    /** Needs 1 byte. */
    static int version(byte[] b, int off) {
        return Bytes.u8(b, off) >>> 4;
    }

    /** Header length in bytes (IHL times 4); valid headers have at least {@link #MIN_LENGTH}. Needs 1 byte. */
    static int headerLength(byte[] b, int off) {
        return (Bytes.u8(b, off) & 0x0F) * 4;
    }

    /** Header plus payload, in bytes. Needs {@link #MIN_LENGTH} bytes (as do the readers below). */
    static int totalLength(byte[] b, int off) {
        return Bytes.u16(b, off + 2);
    }

    /** Identification: names the datagram a fragment belongs to, and tells two sends of equal segments apart. */
    static int identification(byte[] b, int off) {
        return Bytes.u16(b, off + 4);
    }

    static boolean moreFragments(byte[] b, int off) {
        return (Bytes.u16(b, off + 6) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Offset of this fragment's data in the original datagram, in bytes. */
    static int fragmentOffset(byte[] b, int off) {
        return (Bytes.u16(b, off + 6) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True for any piece of a fragmented datagram (first with MF, middle, or last). */
    static boolean isFragment(byte[] b, int off) {
        return (Bytes.u16(b, off + 6) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** IANA protocol number, https://www.iana.org/assignments/protocol-numbers/ */
    static int protocol(byte[] b, int off) {
        return Bytes.u8(b, off + 9);
    }

    static long source(byte[] b, int off) {
        return Bytes.u32(b, off + 12);
    }

    static long destination(byte[] b, int off) {
        return Bytes.u32(b, off + 16);
    }
}
